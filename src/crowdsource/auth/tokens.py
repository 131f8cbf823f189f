"""The `crowdsource_token` JWT: HS256 signed with SECRET_KEY itself, algorithm pinned; `iss`
is this deployment's PUBLIC_URL origin and `aud` is "crowdsource", both checked on reading, so
a token of another deployment or of another system sharing the key reads as signed out."""

from __future__ import annotations

import binascii
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

import jwt
from jwt.algorithms import HMACAlgorithm
from jwt.api_jws import PyJWS
from jwt.utils import base64url_decode, base64url_encode

from crowdsource.auth.verified_tokens import Verified, VerifiedTokens
from crowdsource.domain import clock
from crowdsource.domain.models import User

COOKIE_NAME = "crowdsource_token"
ALGORITHM = "HS256"
AUDIENCE = "crowdsource"
LIFETIME = timedelta(hours=12)
LEEWAY_SECONDS = 30
REQUIRED_CLAIMS = ("sub", "iat", "exp", "iss", "aud")
VERIFIED = VerifiedTokens()  # this process's tokens verified lately


class PreparedKeyHMAC(HMACAlgorithm):
    """PyJWT's HMAC, its key prepared once per secret. PyJWT prepares the key again for every
    token it checks (bytes, then refusing PEM, SSH, DER and JWK lookalikes: a third of a new
    token's check); the result depends on the key alone, and a refused key still raises
    every time (a raising call is not cached)."""

    @lru_cache(maxsize=8)  # noqa: B019  # one instance, for the life of the process
    def prepare_key(self, key: str | bytes) -> bytes:
        return super().prepare_key(key)


BASE64URL_TEXT = re.compile(rb"[A-Za-z0-9_-]*")  # PyJWT's `_BASE64URL_ALPHABET`, as a regex


class SegmentCheckedJWS(PyJWS):
    """PyJWT's JWS, each of a token's three segments checked the same way in C: PyJWT 2.15
    tests every character against the base64url alphabet in a Python generator, half of a
    new token's check (33 of 79 µs for a cookie of 359 characters, `bench.join_cost`), paid
    again by every socket of a class reconnecting to a restarted server. What it refuses
    (junk, bad padding, a segment that does not round-trip) is refused alike:
    tests/auth/test_tokens.py holds it to PyJWT's own on valid and hostile segments."""

    @staticmethod
    def _decode_base64url_segment(segment: bytes, name: str) -> bytes:
        stripped = segment.rstrip(b"=")
        padding = len(segment) - len(stripped)  # trailing "=", as some issuers send
        if (
            padding > 2
            or (padding and len(segment) % 4 != 0)
            or len(stripped) % 4 == 1
            or BASE64URL_TEXT.fullmatch(stripped) is None
        ):
            raise jwt.DecodeError(f"Invalid {name} padding")
        try:
            decoded = base64url_decode(stripped)
        except (TypeError, binascii.Error) as err:
            raise jwt.DecodeError(f"Invalid {name} padding") from err
        if base64url_encode(decoded) != stripped:
            raise jwt.DecodeError(f"Invalid {name} padding")
        return decoded


def _token_codec() -> jwt.PyJWT:
    """This module's PyJWT: the library's checks, its segments read by `SegmentCheckedJWS`
    and HS256 as `PreparedKeyHMAC` in its own algorithms (not the process-wide ones other
    code may use)."""
    codec = jwt.PyJWT()
    codec._jws = SegmentCheckedJWS(options=codec._jws.options)
    codec._jws.unregister_algorithm(ALGORITHM)  # PyJWT keeps its JWS there
    codec._jws.register_algorithm(ALGORITHM, PreparedKeyHMAC(HMACAlgorithm.SHA256))
    return codec


CODEC = _token_codec()


@dataclass(frozen=True)
class TokenClaims:
    user_id: int
    login: str
    name: str
    avatar: str
    expires_at: datetime
    version: int = 0


def issue_token(user: User, secret: str, issuer: str, now: datetime | None = None) -> str:
    """A token for `user`; `issuer` is the PUBLIC_URL origin (`Settings.public_origin`)."""
    issued = now or clock.now()
    claims = {
        "iss": issuer,
        "aud": AUDIENCE,
        "sub": str(user.id),
        "login": user.login,
        "name": user.name,
        "avatar": user.avatar_url,
        "ver": user.token_version,
        "iat": int(issued.timestamp()),
        "exp": int((issued + LIFETIME).timestamp()),
    }
    return CODEC.encode(claims, secret, algorithm=ALGORITHM)


def read_token(
    token: str | None, secret: str, issuer: str, now: datetime | None = None
) -> TokenClaims | None:
    """The claims of a valid token, or None for anything forged, expired, early, malformed,
    or issued by another deployment (`iss`) or for another audience (`aud`). A token verified
    lately skips the signature check (`VERIFIED`); the time checks always run."""
    if not token or len(token) > 4096:
        return None
    moment = now or clock.now()
    stamp = moment.timestamp()
    claims = VERIFIED.get(token, secret, issuer, stamp - LEEWAY_SECONDS)
    keep = False
    if claims is None:
        claims, keep = _verify(token, secret, issuer)
    if claims is None:
        return None
    if claims.expires_at <= stamp - LEEWAY_SECONDS or claims.issued_at > stamp + LEEWAY_SECONDS:
        return None
    if keep:
        VERIFIED.keep(token, secret, issuer, claims)
    return TokenClaims(
        user_id=claims.user_id,
        login=claims.login,
        name=claims.name,
        avatar=claims.avatar,
        expires_at=datetime.fromtimestamp(claims.expires_at, tz=moment.tzinfo),
        version=claims.version,
    )


def _verify(token: str, secret: str, issuer: str) -> tuple[Verified | None, bool]:
    """PyJWT's check of the signature and of every claim that does not depend on the time,
    and whether the result may be kept (not when the token carries `nbf`, which PyJWT
    checks against the wall clock)."""
    try:
        claims = CODEC.decode(
            token,
            secret,
            algorithms=[ALGORITHM],
            audience=AUDIENCE,
            issuer=issuer,
            options={"require": list(REQUIRED_CLAIMS), "verify_iat": False, "verify_exp": False},
        )
        verified = Verified(
            user_id=int(claims["sub"]),
            login=str(claims.get("login", "")),
            name=str(claims.get("name", "")),
            avatar=str(claims.get("avatar", "")),
            issued_at=int(claims["iat"]),
            expires_at=int(claims["exp"]),
            version=int(claims.get("ver", 0)),
        )
    except (jwt.PyJWTError, ValueError, TypeError, KeyError):
        return None, False
    return verified, "nbf" not in claims
