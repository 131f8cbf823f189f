"""The decoder's segments: decoded in C exactly as PyJWT decodes them, and anything PyJWT
would refuse still goes to PyJWT's own check."""

from __future__ import annotations

import random

import pytest
from jwt.api_jws import PyJWS
from jwt.exceptions import DecodeError

from crowdsource.auth.jwt_decoder import ALPHABET, DECODER, _Segments
from crowdsource.auth.tokens import issue_token
from tests.auth.test_tokens import ISSUER, NOW, SECRET, user

ODD = [b"", b"A", b"AB", b"ABC", b"ABCD", b"AB==", b"ABC=", b"A===", b"AB=", b"A!!!", b"AB+/"]
ODD += [b"AB\n", b"AB.C", "é".encode(), b"AQ", b"AR", b"AR==", b"ABCDE", b"ABCDEF", b" AB"]


def verdict(decode: object, segment: bytes) -> bytes | str:
    try:
        return decode(segment, "payload")  # type: ignore[operator,no-any-return]
    except DecodeError as error:
        return f"refused: {error}"


def segments() -> list[bytes]:
    """Odd segments, and random ones built from the alphabet with some padding and junk."""
    chooser = random.Random(18)

    def word(letters: bytes, longest: int) -> bytes:
        return bytes(chooser.choice(letters) for _ in range(chooser.randrange(longest)))

    junk = ALPHABET + b"=!+/. \x00\xff"
    return ODD + [word(junk, 12) for _ in range(3000)] + [word(ALPHABET, 40) for _ in range(3000)]


def test_every_segment_gets_pyjwts_own_verdict() -> None:
    for segment in segments():
        assert verdict(_Segments._decode_base64url_segment, segment) == verdict(
            PyJWS._decode_base64url_segment, segment
        ), segment


def test_a_good_token_skips_pyjwts_character_loop(monkeypatch: pytest.MonkeyPatch) -> None:
    def slow(segment: bytes, name: str) -> bytes:
        raise AssertionError(f"PyJWT's own check ran for the {name}")

    monkeypatch.setattr(PyJWS, "_decode_base64url_segment", staticmethod(slow))
    token = issue_token(user(), SECRET, ISSUER, NOW)
    claims = DECODER.decode(
        token,
        SECRET,
        algorithms=["HS256"],
        audience="crowdsource",
        issuer=ISSUER,
        options={"verify_exp": False, "verify_iat": False},
    )
    assert claims["sub"] == "7"
