"""The CSRF token in the forms a socket pushes: the one its page's session seed gives, so a
form posted from a pushed screen is accepted; a socket whose browser holds no seed (it
opened without a page) has none to give, and its forms are refused as any stale form."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from starlette.testclient import TestClient

from crowdsource.auth.tokens import COOKIE_NAME
from tests.helpers.client import create_poll, sign_in_guest
from tests.helpers.rooms import ask, create_room, room_socket
from tests.helpers.sockets import receive_until

TOKEN = re.compile(r'name="csrf_token" value="([^"]*)"')
VOTE_FORM = 'name="choice"'


def poll_screen(owner: TestClient) -> tuple[str, str]:
    slug = create_poll(owner)
    return f"/polls/{slug}/ws", slug


def room_screen(owner: TestClient) -> tuple[str, str]:
    code = create_room(owner)
    return room_socket(code), ask(owner, code)


SCREENS = {"poll": poll_screen, "room": room_screen}


def pushed_token(client: TestClient, path: str) -> str:
    """The CSRF token of the vote form in the socket's full state."""
    with client.websocket_connect(path) as ws:
        state = receive_until(ws, VOTE_FORM)
    tokens = set(TOKEN.findall(state))
    assert len(tokens) == 1, tokens
    return tokens.pop()


def post_vote(client: TestClient, slug: str, token: str) -> int:
    choice = client.get(f"/polls/{slug}/results.json").json()["choices"][0]["id"]
    response = client.post(
        f"/polls/{slug}/votes",
        data={"choice": choice, "csrf_token": token},
        follow_redirects=False,
    )
    return response.status_code


def total(client: TestClient, slug: str) -> int:
    return client.get(f"/polls/{slug}/results.json").json()["total_votes"]


@pytest.mark.parametrize("screen", SCREENS)
def test_a_socket_opened_from_its_page_pushes_forms_that_post(
    client_factory: Callable[..., TestClient], screen: str
) -> None:
    owner, student = client_factory(), client_factory()
    sign_in_guest(owner, "Alex Owner")
    path, slug = SCREENS[screen](owner)
    sign_in_guest(student, "Ada")  # her browser's session holds its seed from here on
    token = pushed_token(student, path)
    assert token
    assert post_vote(student, slug, token) == 303
    assert total(owner, slug) == 1


@pytest.mark.parametrize("screen", SCREENS)
def test_a_socket_without_a_session_seed_pushes_no_token_and_its_form_changes_nothing(
    client_factory: Callable[..., TestClient], screen: str
) -> None:
    owner, signed_in, bare = client_factory(), client_factory(), client_factory()
    sign_in_guest(owner, "Alex Owner")
    path, slug = SCREENS[screen](owner)
    sign_in_guest(signed_in, "Ada")
    # Only the sign-in cookie: no session, as a socket opened without loading a page.
    bare.cookies.set(COOKIE_NAME, signed_in.cookies[COOKIE_NAME])
    assert pushed_token(bare, path) == ""
    assert post_vote(bare, slug, "") == 403
    assert total(owner, slug) == 0
