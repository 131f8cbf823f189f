"""Every poll route over HTTP: create, list, show, vote, close, results.json, results.csv."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from starlette.testclient import TestClient

from crowdsource.domain.models import Poll, Vote
from tests.helpers.client import create_poll, csrf_of, run, sign_in_guest, vote
from tests.helpers.factories import make_poll


def choice_ids(client: TestClient, slug: str) -> list[str]:
    return [choice["id"] for choice in client.get(f"/polls/{slug}/results.json").json()["choices"]]


def test_home_shows_the_create_form_when_signed_in(owner: TestClient) -> None:
    page = owner.get("/")
    assert 'action="/polls"' in page.text
    assert page.text.count('name="choices"') == 4


def test_create_redirects_to_the_new_poll_with_a_random_slug(owner: TestClient) -> None:
    slug = create_poll(owner)
    assert re.fullmatch(r"[A-Za-z0-9_-]{10,}", slug)
    page = owner.get(f"/polls/{slug}")
    assert page.status_code == 200
    assert "How well do you follow?" in page.text
    assert f'value="http://testserver/polls/{slug}"' in page.text


def test_create_while_signed_out_goes_to_sign_in(stranger: TestClient) -> None:
    response = stranger.post(
        "/polls", data={"question": "Q", "choices": ["a", "b"]}, follow_redirects=False
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/"


def test_create_without_csrf_is_forbidden(owner: TestClient) -> None:
    response = owner.post("/polls", data={"question": "Q", "choices": ["a", "b"]})
    assert response.status_code == 403
    assert run(owner, Poll.all().count) == 0


def test_invalid_poll_rerenders_the_form_with_input_and_messages(owner: TestClient) -> None:
    token = csrf_of(owner.get("/").text)
    response = owner.post(
        "/polls",
        data={
            "question": "",
            "choices": ["Only", "only", ""],
            "closes_at": "2001-01-01T10:00",
            "csrf_token": token,
        },
    )
    assert response.status_code == 400
    assert "Write a question." in response.text
    assert "Each response must be different." in response.text
    assert "already passed" in response.text
    assert 'value="Only"' in response.text and 'value="2001-01-01T10:00"' in response.text
    assert 'aria-invalid="true"' in response.text
    assert run(owner, Poll.all().count) == 0


def test_an_end_time_in_the_year_9999_is_a_form_error(owner: TestClient) -> None:
    token = csrf_of(owner.get("/").text)
    response = owner.post(
        "/polls",
        data={
            "question": "Ready?",
            "choices": ["Yes", "No"],
            "closes_at": "9999-12-31T23:59",
            "timezone": "America/New_York",
            "csrf_token": token,
        },
    )
    assert response.status_code == 400
    assert "pick one before the year 3000" in response.text
    assert run(owner, Poll.all().count) == 0


def test_too_long_question_is_refused(owner: TestClient) -> None:
    token = csrf_of(owner.get("/").text)
    response = owner.post(
        "/polls", data={"question": "q" * 301, "choices": ["a", "b"], "csrf_token": token}
    )
    assert response.status_code == 400
    assert "Keep the question to 300 characters (it has 301)." in response.text
    assert ">" + "q" * 301 + "</textarea>" in response.text  # kept whole, to shorten by hand


def test_add_a_response_button_works_without_javascript(owner: TestClient) -> None:
    token = csrf_of(owner.get("/").text)
    response = owner.post(
        "/polls",
        data={
            "question": "Q",
            "choices": ["a", "b", "c", "d"],
            "add_choice": "1",
            "csrf_token": token,
        },
    )
    assert response.status_code == 200
    assert response.text.count('name="choices"') == 5
    assert run(owner, Poll.all().count) == 0


def test_poll_text_is_escaped_everywhere(owner: TestClient, student: TestClient) -> None:
    attack = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    slug = create_poll(owner, question=attack, choices=[attack, "safe"])
    vote(student, slug, choice_ids(owner, slug)[0])
    for client in (owner, student):
        html = client.get(f"/polls/{slug}").text
        assert "<script>alert" not in html
        assert "<img src=x" not in html
        assert "&lt;script&gt;" in html
    assert "<script>alert" not in owner.get("/polls").text


def test_my_polls_lists_only_mine(owner: TestClient, student: TestClient) -> None:
    create_poll(owner, question="Mine")
    create_poll(student, question="Theirs")
    listing = owner.get("/polls")
    assert "Mine" in listing.text and "Theirs" not in listing.text
    assert owner.get("/polls").status_code == 200


def test_my_polls_tell_a_term_of_polls_apart(owner: TestClient, student: TestClient) -> None:
    """Votes and times on each line (times in UTC for the script to localise), a filter by
    state, and a duplicate marked as a copy of the first."""
    first = create_poll(owner, question="Ready?", closes_at="2099-05-17T14:30:00Z")
    vote(student, first, choice_ids(owner, first)[0])
    token = csrf_of(owner.get(f"/polls/{first}").text)
    copy = owner.post(f"/polls/{first}/duplicate", data={"csrf_token": token})
    other = create_poll(owner, question="Closed one")
    owner.post(f"/polls/{other}/close", data={"csrf_token": token})
    page = owner.get("/polls").text
    row = re.search(
        rf'<li>\s*<div class="poll-list-title">\s*<a href="/polls/{first}">.*?</li>', page, re.S
    )
    assert row and "1 vote<" in row.group(0)
    assert (
        'closes <time datetime="2099-05-17T14:30:00Z" data-local-time>'
        "May 17, 2099, 2:30\u202fPM UTC" in row.group(0)
    )
    copied = copy.url.path.rsplit("/", 1)[1]
    copy_row = re.search(rf'<a href="/polls/{copied}">Ready\?</a>.*?</li>', page, re.S)
    assert copy_row and f'copy of <a href="/polls/{first}">the poll of' in copy_row.group(0)
    assert "0 votes" in copy_row.group(0)
    assert re.search(rf'<a href="/polls/{other}">Closed one</a>.*?closed <time', page, re.S)
    assert '<script src="/static/js/countdown.js">' in page
    open_only = owner.get("/polls?state=open").text
    assert "Ready?" in open_only and "Closed one" not in open_only
    closed_only = owner.get("/polls?state=closed").text
    assert "Closed one" in closed_only and "Ready?" not in closed_only
    assert 'aria-current="page">Closed <span class="count">1</span>' in closed_only


def test_close_all_open_closes_every_open_poll_of_mine_only(
    owner: TestClient, student: TestClient
) -> None:
    mine = [create_poll(owner, question=q) for q in ("One", "Two")]
    theirs = create_poll(student, question="Theirs")
    page = owner.get("/polls").text
    assert ">Close all 2 open</button>" in page
    response = owner.post(
        "/polls/close-open", data={"csrf_token": csrf_of(page)}, follow_redirects=False
    )
    assert (response.status_code, response.headers["location"]) == (303, "/polls")
    assert "Closed 2 polls." in owner.get("/polls").text
    for slug in mine:
        assert owner.get(f"/polls/{slug}/results.json").json()["state"] == "closed"
    assert owner.get(f"/polls/{theirs}/results.json").json()["state"] == "open"
    assert owner.post("/polls/close-open", data={"csrf_token": "x"}).status_code == 403


def test_my_polls_needs_sign_in(stranger: TestClient) -> None:
    response = stranger.get("/polls", follow_redirects=False)
    assert (response.status_code, response.headers["location"]) == (303, "/login?next=/polls")


def test_unknown_poll_is_404(stranger: TestClient) -> None:
    response = stranger.get("/polls/doesnotexist")
    assert response.status_code == 404
    assert "There is no poll at this link." in response.text


def test_a_visitor_sees_the_vote_form_markup_and_results(
    owner: TestClient, student: TestClient
) -> None:
    slug = create_poll(owner)
    html = student.get(f"/polls/{slug}").text
    assert re.search(r'<form id="vote-form"[^>]*method="post"', html)
    assert html.count('name="choice"') == 3
    assert 'id="results"' in html and 'data-state="open"' in html
    assert 'data-total-votes="0"' in html
    assert "Share this poll" not in html and "Close voting now" not in html


def test_a_signed_out_visitor_votes_from_the_poll_page_where_guests_may_join(
    owner: TestClient, stranger: TestClient
) -> None:
    """One form: the picks, a name, one button (tests/web/test_guest_vote.py posts it)."""
    slug = create_poll(owner)
    html = stranger.get(f"/polls/{slug}").text
    form = re.search(r'<form id="vote-form"[^>]*>.*?</form>', html, re.S)
    assert form and html.count('name="choice"') == 3
    assert 'name="name"' in form.group(0) and "ws-send" not in form.group(0)
    assert re.search(r'<input type="hidden" name="csrf_token" value="[^"]+" form="vote-form"', html)


def test_without_guests_a_signed_out_visitor_is_invited_to_sign_in(
    client_factory: Callable[..., TestClient],
) -> None:
    visitor = client_factory(guest_sign_in=False)
    slug = run(visitor, make_poll).slug
    html = visitor.get(f"/polls/{slug}").text
    invitation = f'<a class="button primary" href="/login?next=/polls/{slug}">Sign in to vote'
    assert invitation in html
    assert 'id="vote-form"' not in html and 'name="name"' not in html


def test_voting_by_form_counts_and_redirects_back(owner: TestClient, student: TestClient) -> None:
    slug = create_poll(owner)
    first, second, _ = choice_ids(owner, slug)
    response = vote(student, slug, first)
    assert (response.status_code, response.headers["location"]) == (303, f"/polls/{slug}")
    page = student.get(f"/polls/{slug}").text
    assert "Your vote for “Old hat” is in." in page
    assert f'value="{first}" required checked' in page
    vote(student, slug, second)
    data = owner.get(f"/polls/{slug}/results.json").json()
    assert [c["votes"] for c in data["choices"]] == [0, 1, 0]
    assert data["total_votes"] == 1


def test_owner_sees_who_voted_what_others_do_not_by_default(
    owner: TestClient, student: TestClient
) -> None:
    slug = create_poll(owner)
    first = choice_ids(owner, slug)[0]
    vote(student, slug, first)
    owner_html = owner.get(f"/polls/{slug}").text
    match = re.search(rf'<li id="result-{first}".*?</li>', owner_html, re.S)
    assert match and 'class="voter"' in match.group(0)
    assert 'alt="Sam Student (guest)" title="Sam Student (guest)"' in match.group(0)
    assert 'class="voter"' not in student.get(f"/polls/{slug}").text


def test_a_guest_is_marked_as_a_guest_wherever_their_name_shows(
    owner: TestClient, student: TestClient
) -> None:
    """A guest chooses their name, so it may be a real person's: the header, each picture of
    their vote and the CSV say "guest" beside it. `data-voter` stays the login."""
    slug = create_poll(owner, show_voters="everyone")
    vote(student, slug, choice_ids(owner, slug)[0])
    page = student.get(f"/polls/{slug}").text
    assert re.search(
        r'class="whoami">.*Sam Student <span class="badge badge-guest">guest</span>', page
    )
    marked = 'alt="Sam Student (guest)" title="Sam Student (guest)"'
    assert re.search(r'data-voter="guest~[0-9a-f]+"[^>]* ' + re.escape(marked), page)
    (row,) = owner.get(f"/polls/{slug}/results.csv").text.strip().split("\r\n")[1:]
    assert row.split(",")[1] == "Sam Student (guest)"


def test_show_voters_everyone_shows_avatars_to_all(
    owner: TestClient, student: TestClient, stranger: TestClient
) -> None:
    slug = create_poll(owner, show_voters="everyone")
    vote(student, slug, choice_ids(owner, slug)[0])
    assert re.search(
        r'<img class="voter" id="voter-\d+" data-voter="guest~[0-9a-f]+"',
        stranger.get(f"/polls/{slug}").text,
    )


def test_vote_signed_out_goes_to_sign_in(owner: TestClient, stranger: TestClient) -> None:
    slug = create_poll(owner)
    response = stranger.post(f"/polls/{slug}/votes", data={"choice": "1"}, follow_redirects=False)
    assert (response.status_code, response.headers["location"]) == (
        303,
        f"/login?next=/polls/{slug}",
    )


def test_vote_without_csrf_is_forbidden(owner: TestClient, student: TestClient) -> None:
    slug = create_poll(owner)
    response = student.post(f"/polls/{slug}/votes", data={"choice": choice_ids(owner, slug)[0]})
    assert response.status_code == 403
    assert run(owner, Vote.all().count) == 0


@pytest.mark.parametrize("bad", ["", "abc", "99999", "<script>"])
def test_bad_choice_gets_the_page_with_a_message(
    owner: TestClient, student: TestClient, bad: str
) -> None:
    slug = create_poll(owner)
    response = vote(student, slug, bad)
    assert response.status_code == 400
    assert 'id="vote-status"' in response.text
    assert "vote-status-error" in response.text
    assert run(owner, Vote.all().count) == 0


def test_a_choice_of_another_poll_is_refused(owner: TestClient, student: TestClient) -> None:
    slug, other = create_poll(owner), create_poll(owner)
    response = vote(student, slug, choice_ids(owner, other)[0])
    assert response.status_code == 400
    assert "not part of this poll" in response.text
    assert run(owner, Vote.all().count) == 0


def test_close_stops_voting_and_keeps_results(owner: TestClient, student: TestClient) -> None:
    slug = create_poll(owner)
    first, second, _ = choice_ids(owner, slug)
    vote(student, slug, first)
    token = csrf_of(owner.get(f"/polls/{slug}").text)
    response = owner.post(
        f"/polls/{slug}/close", data={"csrf_token": token}, follow_redirects=False
    )
    assert response.status_code == 303
    refused = vote(student, slug, second)
    assert refused.status_code == 409
    assert "Voting has closed" in refused.text
    page = student.get(f"/polls/{slug}").text
    assert (
        'data-state="closed"' in page and 'id="vote-form"' not in page and "Voting closed" in page
    )
    assert owner.get(f"/polls/{slug}/results.json").json()["state"] == "closed"
    assert [c["votes"] for c in owner.get(f"/polls/{slug}/results.json").json()["choices"]] == [
        1,
        0,
        0,
    ]


def test_close_by_someone_else_is_forbidden(owner: TestClient, student: TestClient) -> None:
    slug = create_poll(owner)
    token = csrf_of(student.get(f"/polls/{slug}").text)
    assert student.post(f"/polls/{slug}/close", data={"csrf_token": token}).status_code == 403
    assert owner.get(f"/polls/{slug}/results.json").json()["state"] == "open"


def test_close_signed_out_goes_to_sign_in_and_without_csrf_is_forbidden(
    owner: TestClient, stranger: TestClient
) -> None:
    slug = create_poll(owner)
    response = stranger.post(f"/polls/{slug}/close", follow_redirects=False)
    assert (response.status_code, response.headers["location"]) == (
        303,
        f"/login?next=/polls/{slug}",
    )
    assert owner.post(f"/polls/{slug}/close", data={}).status_code == 403


def test_results_json_follows_the_contract(owner: TestClient, student: TestClient) -> None:
    slug = create_poll(owner, closes_at="2099-01-01T10:00:00+02:00")
    first = choice_ids(owner, slug)[0]
    vote(student, slug, first)
    data = student.get(f"/polls/{slug}/results.json").json()
    assert data == {
        "poll": slug,
        "question": "How well do you follow?",
        "state": "open",
        "closes_at": "2099-01-01T08:00:00Z",
        "total_votes": 1,
        "choices": [
            {"id": first, "label": "Old hat", "votes": 1},
            {"id": data["choices"][1]["id"], "label": "Okay", "votes": 0},
            {"id": data["choices"][2]["id"], "label": "No idea", "votes": 0},
        ],
        "kind": "single",
        "correct": None,  # no quiz (and a quiz's answer is null for others until revealed)
        "round": 1,  # peer instruction: no round finished yet
        "rounds": [],
    }
    page = student.get(f"/polls/{slug}").text
    assert all(f'data-choice-id="{c["id"]}"' in page for c in data["choices"])


def test_hidden_results_are_null_in_json(
    owner: TestClient, student: TestClient, stranger: TestClient
) -> None:
    slug = create_poll(owner, results_visibility="after_vote")
    first = choice_ids(owner, slug)[0]
    hidden = stranger.get(f"/polls/{slug}/results.json").json()
    assert hidden["total_votes"] is None and {c["votes"] for c in hidden["choices"]} == {None}
    assert "data-total-votes" not in stranger.get(f"/polls/{slug}").text
    vote(student, slug, first)
    assert student.get(f"/polls/{slug}/results.json").json()["total_votes"] == 1
    assert owner.get(f"/polls/{slug}/results.json").json()["total_votes"] == 1


def test_csv_export_is_owner_only_and_neutralises_formulas(
    client_factory: Callable[..., TestClient], owner: TestClient
) -> None:
    slug = create_poll(owner, question="Best tool?", choices=["=HYPERLINK(1)", "+plain"])
    first = choice_ids(owner, slug)[0]
    voter = client_factory()
    sign_in_guest(voter, "@mallory")
    vote(voter, slug, first)
    export = owner.get(f"/polls/{slug}/results.csv")
    assert export.status_code == 200
    assert export.headers["content-type"].startswith("text/csv")
    assert f'filename="crowdsource-best-tool-{slug}.csv"' in export.headers["content-disposition"]
    header, row = export.text.strip().split("\r\n")
    assert header == "voter,name,response,voted_at,round,confidence"
    login, name, response, voted_at, number, confidence = row.split(",")
    assert (number, confidence) == ("1", "")
    assert login.startswith("guest~") and name == "'@mallory (guest)"
    assert response == "'=HYPERLINK(1)"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", voted_at)
    assert voter.get(f"/polls/{slug}/results.csv").status_code == 403
    voter.cookies.clear()
    assert voter.get(f"/polls/{slug}/results.csv", follow_redirects=False).status_code == 303


def test_the_owner_sees_the_absolute_share_url_as_text(owner: TestClient) -> None:
    slug = create_poll(owner)
    html = owner.get(f"/polls/{slug}").text
    assert f">http://testserver/polls/{slug}</a>" in html


def test_a_slug_no_poll_could_have_is_simply_not_found(client: TestClient) -> None:
    # Found by fuzzing the room routes: the database refused the lookup (a 500 before):
    # too long for the column, or a NUL byte (PostgreSQL).
    for path in ("/polls/" + "x" * 40, "/polls/" + "x" * 40 + "/results.json", "/polls/a%00b"):
        assert client.get(path).status_code == 404
