"""One key per purpose: the JWT is signed with SECRET_KEY itself (the contract), the session
cookie and the CSRF tokens with keys derived from it, as the README documents, so none of
the three signs for another."""

from __future__ import annotations

import hashlib
import hmac
import json
from base64 import b64encode
from collections.abc import Callable

import itsdangerous
import jwt
import pytest
from starlette.testclient import TestClient

from crowdsource.auth import csrf
from crowdsource.auth.tokens import AUDIENCE, COOKIE_NAME
from crowdsource.domain import clock
from tests.helpers.client import TEST_SECRET, csrf_of, sign_in_guest, token_claims

SESSION = "crowdsource_session"


def documented_key(label: str) -> str:
    """The README's derivation: hex of HMAC-SHA256, keyed with SECRET_KEY, of the label."""
    return hmac.new(TEST_SECRET.encode(), label.encode(), hashlib.sha256).hexdigest()


SESSION_KEY = documented_key("crowdsource session")
CSRF_KEY = documented_key("crowdsource csrf")


def put_session(client: TestClient, session: dict[str, object], key: str) -> None:
    """Replace the browser's session cookie with `session`, signed with `key`."""
    data = b64encode(json.dumps(session).encode())
    client.cookies.delete(SESSION)
    client.cookies.set(SESSION, itsdangerous.TimestampSigner(key).sign(data).decode())


def test_the_derived_keys_differ_from_the_secret_and_from_each_other() -> None:
    assert len({TEST_SECRET, SESSION_KEY, CSRF_KEY}) == 3


def test_the_session_cookie_is_signed_with_the_derived_session_key(client: TestClient) -> None:
    client.get("/login")
    signed = client.cookies[SESSION].encode()
    assert itsdangerous.TimestampSigner(SESSION_KEY).unsign(signed)
    with pytest.raises(itsdangerous.BadSignature):
        itsdangerous.TimestampSigner(TEST_SECRET).unsign(signed)


def test_csrf_tokens_are_signed_with_the_derived_csrf_key(client: TestClient) -> None:
    token = csrf_of(client.get("/login").text)
    assert itsdangerous.URLSafeTimedSerializer(CSRF_KEY, salt=csrf.SALT).loads(token)
    with pytest.raises(itsdangerous.BadSignature):
        itsdangerous.URLSafeTimedSerializer(TEST_SECRET, salt=csrf.SALT).loads(token)


def test_the_token_stays_verifiable_with_secret_key_itself(client: TestClient) -> None:
    sign_in_guest(client)
    claims = token_claims(client)
    assert (claims["iss"], claims["aud"]) == ("http://testserver", AUDIENCE)


def test_a_leaked_session_key_forges_no_form_token(
    client_factory: Callable[..., TestClient],
) -> None:
    """Whoever holds the session key can write any session, and sign what they like with it;
    a form token signed with it is refused, one signed with the CSRF key is not."""
    victim = client_factory()
    sign_in_guest(victim, "Victim")
    user_id = token_claims(victim)["sub"]
    put_session(victim, {csrf.SESSION_KEY: "known-seed"}, SESSION_KEY)

    def form_token(key: str) -> str:
        return itsdangerous.URLSafeTimedSerializer(key, salt=csrf.SALT).dumps(
            ["known-seed", user_id]
        )

    assert victim.post("/logout", data={"csrf_token": form_token(SESSION_KEY)}).status_code == 403
    assert victim.post("/logout", data={"csrf_token": form_token(TEST_SECRET)}).status_code == 403
    response = victim.post(
        "/logout", data={"csrf_token": form_token(CSRF_KEY)}, follow_redirects=False
    )
    assert response.status_code == 303  # the forged session was read: the key is the real one


def test_neither_derived_key_signs_a_sign_in_token(
    client_factory: Callable[..., TestClient],
) -> None:
    owner = client_factory()
    sign_in_guest(owner, "Victim")
    user_id = token_claims(owner)["sub"]
    now = int(clock.now().timestamp())
    claims = {"sub": user_id, "iat": now, "exp": now + 60, "ver": 0}
    claims |= {"iss": "http://testserver", "aud": AUDIENCE}
    for key, signed_in in ((SESSION_KEY, False), (CSRF_KEY, False), (TEST_SECRET, True)):
        intruder = client_factory()
        intruder.cookies.set(COOKIE_NAME, jwt.encode(claims, key, algorithm="HS256"))
        assert ("Victim" in intruder.get("/").text) is signed_in


def test_a_session_signed_with_secret_key_itself_is_not_read(client: TestClient) -> None:
    """Sessions from before the derivation (or forged with the token key) start afresh."""
    put_session(client, {csrf.SESSION_KEY: "known-seed"}, TEST_SECRET)
    token = itsdangerous.URLSafeTimedSerializer(TEST_SECRET, salt=csrf.SALT).dumps(
        ["known-seed", "-"]
    )
    response = client.post("/login/guest", data={"name": "Ada", "next": "/", "csrf_token": token})
    assert response.status_code == 403
