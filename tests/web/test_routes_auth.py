"""GET /login, POST /login/guest, POST /logout, and what the token cookie means."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta

import jwt
import pytest
from starlette.testclient import TestClient

from crowdsource.auth.tokens import AUDIENCE, COOKIE_NAME, issue_token
from crowdsource.domain import clock
from crowdsource.domain.models import User
from tests.helpers.client import TEST_SECRET, create_poll, csrf_of, run, sign_in_guest
from tests.helpers.sockets import receive_until


def test_login_page_offers_guest_sign_in_and_keeps_next(client: TestClient) -> None:
    page = client.get("/login?next=/polls/abc")
    assert page.status_code == 200
    assert 'name="next" value="/polls/abc"' in page.text
    assert "Join as a guest" in page.text
    assert "Sign in with GitHub" not in page.text


def test_guest_sign_in_sets_a_hardened_cookie_and_redirects_to_next(client: TestClient) -> None:
    token = csrf_of(client.get("/login").text)
    response = client.post(
        "/login/guest",
        data={"name": "Ada", "next": "/polls/xyz", "csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/polls/xyz"
    cookie = next(h for h in response.headers.get_list("set-cookie") if h.startswith(COOKIE_NAME))
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Secure" not in cookie
    claims = jwt.decode(
        client.cookies[COOKIE_NAME], TEST_SECRET, algorithms=["HS256"], audience=AUDIENCE
    )
    assert claims["login"].startswith("guest~")
    assert claims["name"] == "Ada"
    assert claims["avatar"] == f"/avatars/{claims['login']}.svg"
    assert claims["exp"] - claims["iat"] == 12 * 3600


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/x",
        "/\\evil.example",
        "javascript:alert(1)",
        "http:/evil",
    ],
)
def test_next_never_leaves_the_site(client: TestClient, target: str) -> None:
    token = csrf_of(client.get("/login").text)
    response = client.post(
        "/login/guest",
        data={"name": "Ada", "next": target, "csrf_token": token},
        follow_redirects=False,
    )
    assert response.headers["location"] == "/"


@pytest.mark.parametrize(
    ("name", "message"),
    [("", "Tell us a name"), (" \t ", "Tell us a name"), ("x" * 41, "40 characters")],
)
def test_bad_guest_names_are_refused_without_a_cookie(
    client: TestClient, name: str, message: str
) -> None:
    token = csrf_of(client.get("/login").text)
    response = client.post("/login/guest", data={"name": name, "next": "/", "csrf_token": token})
    assert response.status_code == 400
    assert message in response.text
    assert COOKIE_NAME not in client.cookies


def test_guest_sign_in_without_csrf_is_forbidden(client: TestClient) -> None:
    response = client.post("/login/guest", data={"name": "Ada", "next": "/"})
    assert response.status_code == 403
    assert COOKIE_NAME not in client.cookies


def test_guest_sign_in_is_404_when_guests_are_off(
    client_factory: Callable[..., TestClient],
) -> None:
    client = client_factory(guest_sign_in=False)
    token = csrf_of(client.get("/").text) if "csrf_token" in client.get("/").text else "x"
    response = client.post("/login/guest", data={"name": "Ada", "csrf_token": token})
    assert response.status_code == 404
    assert COOKIE_NAME not in client.cookies
    assert "Join as a guest" not in client.get("/login").text


def test_logout_clears_the_cookie(client: TestClient) -> None:
    sign_in_guest(client)
    token = csrf_of(client.get("/").text)
    response = client.post("/logout", data={"csrf_token": token}, follow_redirects=False)
    assert response.status_code == 303
    assert COOKIE_NAME not in client.cookies
    assert "Join as a guest" in client.get("/").text


def test_logout_needs_csrf(client: TestClient) -> None:
    sign_in_guest(client)
    assert client.post("/logout", data={}).status_code == 403
    assert COOKIE_NAME in client.cookies


def test_a_csrf_token_of_another_person_is_refused(
    client_factory: Callable[..., TestClient],
) -> None:
    alice, mallory = client_factory(), client_factory()
    sign_in_guest(alice, "Alice")
    sign_in_guest(mallory, "Mallory")
    stolen = csrf_of(mallory.get("/").text)
    assert alice.post("/logout", data={"csrf_token": stolen}).status_code == 403


HERE = "http://testserver"  # the PUBLIC_URL of the tests' apps: the tokens' issuer


def forged_tokens(user: User) -> dict[str, str]:
    now = clock.now()
    return {
        "wrong key": issue_token(user, "another-secret-also-long-enough-to-sign-hs256!!", HERE),
        "expired": issue_token(user, TEST_SECRET, HERE, now - timedelta(hours=13)),
        "future": issue_token(user, TEST_SECRET, HERE, now + timedelta(hours=1)),
        "another deployment": issue_token(user, TEST_SECRET, "https://staging.school.test"),
        "unknown user": jwt.encode(
            {
                "sub": "999999",
                "iat": int(now.timestamp()),
                "exp": int(now.timestamp()) + 60,
                "iss": HERE,
                "aud": AUDIENCE,
            },
            TEST_SECRET,
            algorithm="HS256",
        ),
        "garbage": "definitely-not-a-jwt",
    }


def test_forged_expired_or_orphan_tokens_read_as_signed_out(client: TestClient) -> None:
    sign_in_guest(client, "Real Person")
    user = run(client, User.get, name="Real Person")
    for label, token in forged_tokens(user).items():
        client.cookies.clear()
        client.cookies.set(COOKIE_NAME, token)
        page = client.get("/")
        assert page.status_code == 200, label
        assert "Join as a guest" in page.text, label
        assert client.get("/polls", follow_redirects=False).status_code == 303, label


def test_logout_invalidates_the_token_itself_not_just_the_cookie(client: TestClient) -> None:
    sign_in_guest(client)
    stolen = client.cookies[COOKIE_NAME]
    token = csrf_of(client.get("/").text)
    client.post("/logout", data={"csrf_token": token})
    client.cookies.clear()
    client.cookies.set(COOKIE_NAME, stolen)
    assert "Join as a guest" in client.get("/").text
    assert client.get("/polls", follow_redirects=False).status_code == 303


def test_an_open_socket_cannot_vote_after_sign_out(
    client_factory: Callable[..., TestClient],
) -> None:
    owner, student = client_factory(), client_factory()
    sign_in_guest(owner, "Owner")
    sign_in_guest(student, "Student")
    slug = create_poll(owner)
    choice = owner.get(f"/polls/{slug}/results.json").json()["choices"][0]["id"]
    with student.websocket_connect(f"/polls/{slug}/ws") as ws:
        receive_until(ws, 'id="results"')
        student.post("/logout", data={"csrf_token": csrf_of(student.get("/").text)})
        ws.send_text(json.dumps({"choice": choice}))
        assert "Sign in to vote." in receive_until(ws, "vote-status-error")
    assert owner.get(f"/polls/{slug}/results.json").json()["total_votes"] == 0
