"""CSRF tokens (itsdangerous): bound to the browser's session and to the signed-in user,
signed with the CSRF key derived from SECRET_KEY (`keys.csrf_key`)."""

from __future__ import annotations

import secrets
from functools import cache

from itsdangerous import BadData, URLSafeTimedSerializer
from starlette.requests import HTTPConnection

from crowdsource.auth.keys import csrf_key

SALT = "crowdsource.csrf"
SESSION_KEY = "csrf_seed"
MAX_AGE_SECONDS = 12 * 3600
FIELD = "csrf_token"


def _seed(conn: HTTPConnection) -> str:
    seed = conn.session.get(SESSION_KEY)
    if not isinstance(seed, str):
        seed = secrets.token_urlsafe(16)
        conn.session[SESSION_KEY] = seed
    return seed


def _user_key(conn: HTTPConnection) -> str:
    user = getattr(conn.user, "user", None)
    return str(user.id) if user is not None else "-"


@cache
def _serializer(secret: str) -> URLSafeTimedSerializer:
    """`secret` is SECRET_KEY; the tokens are signed with the key derived from it. One per
    secret, reused: building one (its signer, its key derivation) cost more than a token."""
    return URLSafeTimedSerializer(csrf_key(secret), salt=SALT)


def csrf_token(conn: HTTPConnection, secret: str) -> str:
    return _signed(secret, _seed(conn), conn)


def socket_csrf_token(conn: HTTPConnection, secret: str) -> str:
    """The token for the forms a socket pushes: the one its page's session seed gives, or none.
    A socket cannot write its session back, so a seed made for it would be kept nowhere and no
    post could ever match it: its forms are refused like any stale form either way, and
    signing a token for nothing cost each such socket's join 25 µs."""
    seed = conn.session.get(SESSION_KEY)
    return _signed(secret, seed, conn) if isinstance(seed, str) else ""


def _signed(secret: str, seed: str, conn: HTTPConnection) -> str:
    return _serializer(secret).dumps([seed, _user_key(conn)])


def csrf_valid(conn: HTTPConnection, secret: str, token: object) -> bool:
    if not isinstance(token, str) or not token or len(token) > 512:
        return False
    seed = conn.session.get(SESSION_KEY)
    try:
        data = _serializer(secret).loads(token, max_age=MAX_AGE_SECONDS)
    except BadData:
        return False
    return isinstance(seed, str) and data == [seed, _user_key(conn)]
