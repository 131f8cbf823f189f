"""A poll's results over HTTP: who voted what, shown to whom on the page; results.json
(its contract, nulls where results are hidden); the owner's CSV export."""

from __future__ import annotations

import re
from collections.abc import Callable

from starlette.testclient import TestClient

from tests.helpers.client import choice_ids, create_poll, sign_in_guest, vote


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
