"""A socket keeps only what its user may see now: after sign-out (in another tab or browser)
or once its token expires, it gets what a signed-out visitor gets, live."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from starlette.testclient import TestClient

from crowdsource.auth.tokens import COOKIE_NAME, LIFETIME
from crowdsource.domain.models import User
from tests.helpers.client import choice_ids, create_poll, csrf_of, run, sign_in_guest, vote
from tests.helpers.sockets import assert_swappable, receive_until, send_vote, ws_url

VOTER = 'class="voter"'
OWNER_AREA_GONE = 'id="owner-area" hx-swap-oob="delete"'


def messages_until(ws: Any, needle: str, limit: int = 20) -> list[str]:
    """Every message read up to and including the first that contains `needle`."""
    seen = []
    for _ in range(limit):
        message = ws.receive_text()
        assert_swappable(message)
        seen.append(message)
        if needle in message:
            return seen
    raise AssertionError(f"{needle!r} never arrived; got {[m[:120] for m in seen]}")


def sign_out(client: TestClient) -> None:
    response = client.post(
        "/logout", data={"csrf_token": csrf_of(client.get("/").text)}, follow_redirects=False
    )
    assert response.status_code == 303


@pytest.fixture
def people(client_factory: Callable[..., TestClient]) -> dict[str, TestClient]:
    """The owner on a laptop and on a phone (one user, two browsers), two students."""
    owner, phone, ada, bob = (client_factory() for _ in range(4))
    sign_in_guest(owner, "Alex Owner")
    phone.cookies.set(COOKIE_NAME, owner.cookies[COOKIE_NAME])
    sign_in_guest(ada, "Ada")
    sign_in_guest(bob, "Bob")
    return {"owner": owner, "phone": phone, "ada": ada, "bob": bob}


def test_signing_out_elsewhere_stops_the_owner_s_socket_receiving_voter_names(
    people: dict[str, TestClient],
) -> None:
    owner, phone, ada, bob = people["owner"], people["phone"], people["ada"], people["bob"]
    slug = create_poll(owner)
    first, second, _ = choice_ids(owner, slug)
    assert 'id="owner-area"' in owner.get(f"/polls/{slug}").text  # what the push removes
    with owner.websocket_connect(ws_url(slug)) as ws:
        receive_until(ws, 'id="results"')
        assert vote(ada, slug, first).status_code == 303
        assert VOTER in receive_until(ws, 'data-total-votes="1"')  # the owner sees names
        sign_out(phone)
        assert vote(bob, slug, second).status_code == 303
        after = messages_until(ws, 'data-total-votes="2"')
    assert not any(VOTER in message for message in after), after
    # What a signed-out visitor gets: the results without names, the way to sign in, and
    # no owner's controls.
    assert any('id="results"' in m and "Sign in to vote" in m for m in after), after
    assert any(OWNER_AREA_GONE in message for message in after), after


def test_a_student_s_socket_shows_the_sign_in_panel_after_sign_out(
    people: dict[str, TestClient],
) -> None:
    owner, ada = people["owner"], people["ada"]
    slug = create_poll(owner)
    with ada.websocket_connect(ws_url(slug)) as ws:
        assert 'id="vote-form"' in receive_until(ws, 'id="results"')
        sign_out(ada)
        signed_out = receive_until(ws, "Sign in to vote")
        send_vote(ws, choice_ids(owner, slug)[0])
        assert "Sign in to vote." in receive_until(ws, "vote-status-error")
    # The guest's one-submit form (a plain post with a name), never a form voting over
    # the socket as the one who signed out.
    assert "ws-send" not in signed_out and 'name="name"' in signed_out
    assert OWNER_AREA_GONE not in signed_out  # a student had no controls to take away
    assert owner.get(f"/polls/{slug}/results.json").json()["total_votes"] == 0


def test_an_expired_token_stops_the_owner_s_socket_receiving_voter_names(
    people: dict[str, TestClient], client_factory: Callable[..., TestClient]
) -> None:
    owner, ada = people["owner"], people["ada"]
    slug = create_poll(owner)
    first, second, _ = choice_ids(owner, slug)
    with owner.websocket_connect(ws_url(slug)) as ws:
        receive_until(ws, 'id="results"')
        assert vote(ada, slug, first).status_code == 303
        assert VOTER in receive_until(ws, 'data-total-votes="1"')
        with time_machine.travel(datetime.now(UTC) + LIFETIME + timedelta(minutes=1)):
            late = client_factory()  # signs in after the owner's token expired
            sign_in_guest(late, "Late Student")
            assert vote(late, slug, second).status_code == 303
            after = messages_until(ws, 'data-total-votes="2"')
    assert not any(VOTER in message for message in after), after
    assert any("Sign in to vote" in message for message in after), after


def test_a_vote_after_the_token_expired_is_refused_and_the_page_shows_the_way_in(
    people: dict[str, TestClient],
) -> None:
    owner, ada = people["owner"], people["ada"]
    slug = create_poll(owner)
    with ada.websocket_connect(ws_url(slug)) as ws:
        assert 'id="vote-form"' in receive_until(ws, 'id="results"')
        with time_machine.travel(datetime.now(UTC) + LIFETIME + timedelta(minutes=1)):
            send_vote(ws, choice_ids(owner, slug)[0])
            answer = messages_until(ws, "vote-status-error")
    assert "Sign in to vote." in answer[-1]
    assert any('id="vote-panel"' in m and "Sign in to vote" in m for m in answer), answer
    assert owner.get(f"/polls/{slug}/results.json").json()["total_votes"] == 0


def test_a_sign_out_between_handshake_and_joining_is_not_missed(
    people: dict[str, TestClient],
) -> None:
    """The sign-out commits after the handshake read the token, and its news passes before
    the socket joins: the socket still ends up signed out."""
    owner, ada = people["owner"], people["ada"]
    slug = create_poll(owner)
    app = owner.app
    publisher = app.state.publisher  # type: ignore[attr-defined]
    join = publisher.connect

    async def sign_out_then_join(socket: Any, poll: Any, user: User | None, *args: Any, **kw: Any):
        if user is not None:
            await app.state.session_commands.sign_out_everywhere(user)  # type: ignore[attr-defined]
        return await join(socket, poll, user, *args, **kw)

    publisher.connect = sign_out_then_join
    try:
        with owner.websocket_connect(ws_url(slug)) as ws:
            receive_until(ws, 'id="results"')
            assert vote(ada, slug, choice_ids(ada, slug)[0]).status_code == 303
            after = messages_until(ws, 'data-total-votes="1"')
    finally:
        publisher.connect = join
    assert not any(VOTER in message for message in after), after
    assert run(owner, User.filter(token_version__gt=0).count) == 1


def test_a_vote_from_a_socket_that_never_heard_of_its_sign_out_is_refused(
    people: dict[str, TestClient],
) -> None:
    """The sign-out committed but its news has not reached this socket (another process,
    a broker away): the vote's own transaction still finds the session over, stores
    nothing, and the page turns into a signed-out visitor's."""
    owner, ada = people["owner"], people["ada"]
    slug = create_poll(owner)
    with ada.websocket_connect(ws_url(slug)) as ws:
        assert 'id="vote-form"' in receive_until(ws, 'id="results"')
        # What `sign_out_everywhere` commits, without its announcement.
        assert run(ada, User.filter(name="Ada").update, token_version=7) == 1
        send_vote(ws, choice_ids(owner, slug)[0])
        answer = messages_until(ws, "vote-status-error")
    assert "Sign in to vote." in answer[-1]
    assert any('id="vote-panel"' in m and "Sign in to vote" in m for m in answer), answer
    assert owner.get(f"/polls/{slug}/results.json").json()["total_votes"] == 0
