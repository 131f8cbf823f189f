"""A room's roster over HTTP and the room socket: setting it (create form, host console),
bad input, and votes refused to people off the roster with who may vote."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from starlette.testclient import TestClient

from crowdsource.domain.models import Room, Vote
from crowdsource.domain.roster_models import RoomRoster, RosterMember
from tests.helpers.client import csrf_of, run, sign_in_guest, vote
from tests.helpers.rooms import ask, create_room, room_socket
from tests.helpers.roster import set_roster, sign_in_as
from tests.helpers.sockets import choice_ids_in, receive_until


@pytest.fixture
def owner(client_factory: Callable[..., TestClient]) -> TestClient:
    client = client_factory()
    sign_in_guest(client, "Alex Owner")
    return client


def test_the_create_form_takes_a_roster(owner: TestClient) -> None:
    token = csrf_of(owner.get("/rooms").text)
    form = {"name": "CS 101", "members": "octo-ada\ngrace-h", "github_org": "CS101"}
    response = owner.post("/rooms", data={**form, "csrf_token": token}, follow_redirects=False)
    assert response.status_code == 303
    host = owner.get(response.headers["location"]).text
    assert 'id="roster-settings"' in host and "2 listed logins" in host and "cs101" in host
    assert ">octo-ada\ngrace-h</textarea>" in host


def test_a_bad_roster_on_create_shows_the_form_again_and_makes_no_room(owner: TestClient) -> None:
    token = csrf_of(owner.get("/rooms").text)
    data = {"name": "", "members": "ok\nnot ok", "github_team": "b", "csrf_token": token}
    response = owner.post("/rooms", data=data)
    assert response.status_code == 400
    assert "Give the room a name" in response.text and "Not a login: “not ok”" in response.text
    assert "Name the organisation" in response.text and ">ok\nnot ok</textarea>" in response.text
    assert run(owner, Room.all().count) == 0


def test_the_console_sets_and_removes_the_roster(owner: TestClient) -> None:
    code = create_room(owner)
    saved = set_roster(owner, code, "octo-ada", "cs101", "section-b")
    assert saved.status_code == 303
    assert "only the people on the roster vote" in owner.get(f"/r/{code}/host").text
    page = owner.get(f"/r/{code}").text
    assert 'id="roster-note"' in page and "Sign in again" in page
    assert set_roster(owner, code).status_code == 303
    assert "anyone with the code votes" in owner.get(f"/r/{code}/host").text
    assert run(owner, RoomRoster.all().count) == 0


def test_too_many_lines_are_refused_and_nothing_changes(owner: TestClient) -> None:
    code = create_room(owner)
    set_roster(owner, code, "octo-ada")
    response = set_roster(owner, code, "\n".join(f"s{i}" for i in range(5000)))
    assert response.status_code == 400 and "this one has 5000" in response.text
    assert run(owner, RosterMember.all().values_list, "login", flat=True) == ["octo-ada"]


def test_only_the_owner_sets_a_roster(
    owner: TestClient, client_factory: Callable[..., TestClient]
) -> None:
    code = create_room(owner)
    other = client_factory()
    sign_in_as(other, "octo-eve")
    token = csrf_of(other.get(f"/r/{code}").text)
    response = other.post(f"/r/{code}/roster", data={"members": "octo-eve", "csrf_token": token})
    assert response.status_code == 403
    assert run(owner, RoomRoster.all().count) == 0


def test_off_the_roster_a_form_vote_gets_a_403_page(
    owner: TestClient, client_factory: Callable[..., TestClient]
) -> None:
    code = create_room(owner)
    slug = ask(owner, code)
    set_roster(owner, code, "octo-ada", "cs101")
    ada, bob, guest = client_factory(), client_factory(), client_factory()
    sign_in_as(ada, "Octo-Ada")
    sign_in_as(bob, "octo-bob")
    seven = choice_ids_in(owner.get(f"/polls/{slug}").text)[1]
    assert vote(ada, slug, seven).status_code == 303
    refused = vote(bob, slug, seven, poll=slug)
    assert refused.status_code == 403
    assert "Only this class votes here" in refused.text and "signed in as octo-bob" in refused.text
    assert "members of the GitHub organisation “cs101”" in refused.text
    assert "Sign in with another account" in refused.text and "/login?next=" in refused.text
    from_poll_page = vote(bob, slug, seven)
    assert from_poll_page.status_code == 403
    token = csrf_of(guest.get(f"/polls/{slug}").text)
    as_guest = guest.post(
        f"/polls/{slug}/votes", data={"choice": seven, "name": "Octo Ada", "csrf_token": token}
    )
    assert as_guest.status_code == 403 and "signed in as a guest" in as_guest.text
    assert run(owner, Vote.filter(poll__slug=slug).count) == 1


def test_off_the_roster_a_socket_vote_gets_vote_status(
    owner: TestClient, client_factory: Callable[..., TestClient]
) -> None:
    code = create_room(owner)
    slug = ask(owner, code)
    set_roster(owner, code, "octo-ada")
    bob = client_factory()
    sign_in_as(bob, "octo-bob")
    seven = choice_ids_in(owner.get(f"/polls/{slug}").text)[1]
    with bob.websocket_connect(room_socket(code)) as ws:
        receive_until(ws, 'id="stage"')
        ws.send_json({"choice": seven, "poll": slug, "HEADERS": {"HX-Request": "true"}})
        status = receive_until(ws, 'id="vote-status"')
    assert "Only this class votes here: the people your instructor listed" in status
    assert run(owner, Vote.all().count) == 0
