"""Sign-in tokens made by hand for the token tests: a deployment's secret and issuer, a fixed
now, claims that `read_token` accepts at that now, and the user they are issued for."""

from __future__ import annotations

from datetime import UTC, datetime

import jwt

from crowdsource.auth.tokens import AUDIENCE
from crowdsource.domain.models import User

SECRET = "a-test-secret-that-is-more-than-thirty-two-bytes-long"
ISSUER = "https://polls.school.test"
NOW = datetime(2030, 1, 1, 12, tzinfo=UTC)
FRESH_CLAIMS = {
    "sub": "7",
    "iat": int(NOW.timestamp()),
    "exp": int(NOW.timestamp()) + 60,
    "iss": ISSUER,
    "aud": AUDIENCE,
}


def user() -> User:
    return User(id=7, login="octocat", name="Mona", avatar_url="https://example.test/a.png")


def hs256(claims: dict[str, object]) -> str:
    return jwt.encode(claims, SECRET, algorithm="HS256")
