"""Tokens verified lately skip the signature check, and nothing else: expiry, an early
`iat`, `nbf` and every forged token are refused exactly as without the cache."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest

from crowdsource.auth import tokens
from crowdsource.auth.tokens import LEEWAY_SECONDS, VERIFIED, issue_token, read_token
from crowdsource.auth.verified_tokens import Verified, VerifiedTokens
from tests.helpers.tokens import FRESH_CLAIMS, ISSUER, NOW, SECRET, hs256, user


@pytest.fixture(autouse=True)
def empty_cache() -> Iterator[None]:
    VERIFIED.clear()
    yield
    VERIFIED.clear()


@pytest.fixture
def decodes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every token PyJWT is asked to verify."""
    seen: list[str] = []
    decode = tokens.CODEC.decode

    def counting(token: str, *args: Any, **kwargs: Any) -> Any:
        seen.append(token)
        return decode(token, *args, **kwargs)

    monkeypatch.setattr(tokens.CODEC, "decode", counting)
    return seen


def test_a_token_read_twice_is_verified_once(decodes: list[str]) -> None:
    token = issue_token(user(), SECRET, ISSUER, NOW)
    first = read_token(token, SECRET, ISSUER, NOW)
    second = read_token(token, SECRET, ISSUER, NOW + timedelta(minutes=1))
    assert first == second is not None
    assert decodes == [token]


def test_a_kept_token_is_refused_once_expired_and_dropped() -> None:
    token = issue_token(user(), SECRET, ISSUER, NOW)
    assert read_token(token, SECRET, ISSUER, NOW) is not None
    later = NOW + tokens.LIFETIME + timedelta(seconds=LEEWAY_SECONDS)
    assert read_token(token, SECRET, ISSUER, later) is None
    assert len(VERIFIED) == 0


def test_a_kept_token_is_refused_before_its_iat() -> None:
    token = issue_token(user(), SECRET, ISSUER, NOW)
    assert read_token(token, SECRET, ISSUER, NOW) is not None
    assert read_token(token, SECRET, ISSUER, NOW - timedelta(minutes=5)) is None


def test_another_secret_or_issuer_verifies_again_and_refuses() -> None:
    token = issue_token(user(), SECRET, ISSUER, NOW)
    assert read_token(token, SECRET, ISSUER, NOW) is not None
    assert read_token(token, SECRET + "-rotated", ISSUER, NOW) is None
    assert read_token(token, SECRET, "https://staging.school.test", NOW) is None


def test_refused_tokens_are_never_kept(decodes: list[str]) -> None:
    forged = issue_token(user(), "another-secret-also-long-enough-to-sign-hs256!!", ISSUER, NOW)
    assert read_token(forged, SECRET, ISSUER, NOW) is None
    assert read_token(forged, SECRET, ISSUER, NOW) is None
    assert len(VERIFIED) == 0 and decodes == [forged, forged]


def test_a_token_with_nbf_is_verified_every_time(decodes: list[str]) -> None:
    """PyJWT checks `nbf` against the wall clock: such a token is never kept."""
    token = hs256({**FRESH_CLAIMS, "nbf": int(NOW.timestamp())})
    read_token(token, SECRET, ISSUER, NOW)
    read_token(token, SECRET, ISSUER, NOW)
    assert decodes == [token, token] and len(VERIFIED) == 0


def test_the_cache_is_bounded_least_recently_used_first() -> None:
    cache = VerifiedTokens(size=2)
    entry = Verified(1, "a", "A", "", 0, 10**10, 0)
    for token in ("one", "two"):
        cache.keep(token, SECRET, ISSUER, entry)
    assert cache.get("one", SECRET, ISSUER, 0) is entry  # "two" is now the oldest
    cache.keep("three", SECRET, ISSUER, entry)
    assert len(cache) == 2
    assert cache.get("two", SECRET, ISSUER, 0) is None
    assert cache.get("one", SECRET, ISSUER, 0) is entry
