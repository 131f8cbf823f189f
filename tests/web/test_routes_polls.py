"""The /polls routes over HTTP: the create form (a new poll at a random link, what it refuses
and keeps, its "Add a response" without JavaScript) and My polls (the list, its filter,
closing all that are open)."""

from __future__ import annotations

import re

from starlette.testclient import TestClient

from crowdsource.domain.models import Poll
from tests.helpers.client import choice_ids, create_poll, csrf_of, run, vote


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
