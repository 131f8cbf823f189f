"""`show_voters=nobody` on the web: the vote page says what the instructor sees, and no
response body or frame — the owner's page, JSON, CSV and sockets included — names a voter
next to a choice."""

from __future__ import annotations

from collections.abc import Callable

from starlette.testclient import TestClient

from tests.helpers.client import create_poll, csrf_of, owner_and_class, vote
from tests.helpers.rooms import ask, create_room, room_socket
from tests.helpers.sockets import receive_until, send_vote

PROMISE = "Your instructor sees that you voted, not what you chose"


def test_nobody_hides_who_chose_what_everywhere(client_factory: Callable[..., TestClient]) -> None:
    people = owner_and_class(client_factory)
    slug = create_poll(people["owner"], show_voters="nobody", results_visibility="always")
    page = people["ada"].get(f"/polls/{slug}").text
    assert PROMISE in page
    with people["owner"].websocket_connect(f"/polls/{slug}/ws") as owner_ws:
        receive_until(owner_ws, 'id="results"')
        assert vote(people["ada"], slug, 1).status_code == 303
        frame = receive_until(owner_ws, 'data-total-votes="1"')
        assert "Ada" not in frame.split('id="roster"')[0] and 'img class="voter"' not in frame
    with people["bob"].websocket_connect(f"/polls/{slug}/ws") as bob_ws:
        receive_until(bob_ws, 'id="vote-form"')
        send_vote(bob_ws, 2)
        receive_until(bob_ws, "is in")
    owner_page = people["owner"].get(f"/polls/{slug}").text
    assert 'data-total-votes="2"' in owner_page
    assert 'class="voter"' not in owner_page and "data-voter=" not in owner_page
    for path in ("", "/results.json", "/present", "/embed"):
        for name in ("owner", "ada", "bob", "visitor"):
            body = people[name].get(f"/polls/{slug}{path}").text
            assert "data-voter=" not in body and 'class="voter"' not in body, (name, path)
    document = people["owner"].get(f"/polls/{slug}/results.json").json()
    assert "Ada" not in str(document) and "Bob" not in str(document)
    sheet = people["owner"].get(f"/polls/{slug}/results.csv").text.splitlines()
    assert sheet[0] == "voter,name"
    assert len(sheet) == 3 and not any("Old hat" in line or "Okay" in line for line in sheet)


def test_switching_nobody_after_votes_is_refused(
    client_factory: Callable[..., TestClient],
) -> None:
    people = owner_and_class(client_factory)
    slug = create_poll(people["owner"], show_voters="nobody")
    vote(people["ada"], slug, 1)
    page = people["owner"].get(f"/polls/{slug}").text
    assert "Nobody, not even me" in page
    response = people["owner"].post(
        f"/polls/{slug}/visibility",
        data={
            "results_visibility": "always",
            "show_voters": "everyone",
            "csrf_token": csrf_of(page),
        },
        follow_redirects=True,
    )
    assert "before the first vote" in response.text
    assert 'class="voter"' not in people["owner"].get(f"/polls/{slug}").text


def test_the_host_console_of_a_nobody_question_shows_counts_never_voters(
    client_factory: Callable[..., TestClient],
) -> None:
    people = owner_and_class(client_factory)
    owner = people["owner"]
    code = create_room(owner)
    slug = ask(owner, code, show_voters="nobody")
    with owner.websocket_connect(room_socket(code, "host")) as console:
        receive_until(console, 'id="stage"')
        assert vote(people["ada"], slug, 1).status_code == 303
        frames = receive_until(console, 'data-total-votes="1"')
        assert vote(people["bob"], slug, 2).status_code == 303
        frames += receive_until(console, 'data-total-votes="2"')
    host = owner.get(f"/r/{code}/host").text
    for body in (frames, host):
        outside_roster = "".join(
            part.split("</section>", 1)[-1] for part in body.split('id="roster"')
        )
        assert 'class="voter"' not in outside_roster and "data-voter=" not in outside_roster
    assert 'data-total-votes="2"' in host
