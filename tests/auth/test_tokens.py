"""The JWT cookie: anything forged, expired, early or malformed reads as signed out."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import timedelta

import jwt
import pytest
from jwt.algorithms import HMACAlgorithm
from jwt.api_jws import PyJWS

from crowdsource.auth.tokens import (
    AUDIENCE,
    CODEC,
    VERIFIED,
    PreparedKeyHMAC,
    SegmentCheckedJWS,
    issue_token,
    read_token,
)
from tests.helpers.tokens import FRESH_CLAIMS, ISSUER, NOW, SECRET, hs256, user


def b64(part: dict[str, object]) -> str:
    return base64.urlsafe_b64encode(json.dumps(part).encode()).rstrip(b"=").decode()


def hs256_with_empty_key(claims: dict[str, object]) -> str:
    signing_input = f"{b64({'alg': 'HS256', 'typ': 'JWT'})}.{b64(claims)}"
    signature = hmac.new(b"", signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{base64.urlsafe_b64encode(signature).rstrip(b'=').decode()}"


def without(claim: str) -> dict[str, object]:
    return {key: value for key, value in FRESH_CLAIMS.items() if key != claim}


def test_the_fresh_claims_of_these_tests_are_accepted() -> None:
    """The forgeries below each break one thing: the claims they start from are good."""
    assert read_token(hs256(FRESH_CLAIMS), SECRET, ISSUER, NOW) is not None


def test_a_fresh_token_round_trips_its_claims() -> None:
    claims = read_token(issue_token(user(), SECRET, ISSUER, NOW), SECRET, ISSUER, NOW)
    assert claims is not None
    assert (claims.user_id, claims.login, claims.name) == (7, "octocat", "Mona")
    assert claims.expires_at == NOW + timedelta(hours=12)


def test_the_token_is_plain_hs256_with_the_documented_claims() -> None:
    token = issue_token(user(), SECRET, ISSUER, NOW)
    assert jwt.get_unverified_header(token)["alg"] == "HS256"
    claims = jwt.decode(
        token,
        SECRET,
        algorithms=["HS256"],
        audience="crowdsource",
        issuer=ISSUER,
        options={"verify_exp": False, "verify_iat": False},
    )
    assert set(claims) == {"sub", "login", "name", "avatar", "iat", "exp", "ver", "iss", "aud"}
    assert (claims["sub"], claims["iss"], claims["aud"]) == ("7", ISSUER, "crowdsource")


def test_expired_tokens_are_refused() -> None:
    token = issue_token(user(), SECRET, ISSUER, NOW)
    assert read_token(token, SECRET, ISSUER, NOW + timedelta(hours=12, minutes=1)) is None


def test_tokens_issued_in_the_future_are_refused() -> None:
    token = issue_token(user(), SECRET, ISSUER, NOW + timedelta(minutes=5))
    assert read_token(token, SECRET, ISSUER, NOW) is None


@pytest.mark.parametrize(
    "forge",
    [
        lambda: issue_token(user(), "another-secret-also-long-enough-to-sign-hs256!!", ISSUER, NOW),
        lambda: hs256_with_empty_key({**FRESH_CLAIMS, "exp": 9999999999}),
        lambda: f"{b64({'alg': 'none', 'typ': 'JWT'})}.{b64(FRESH_CLAIMS)}.",
        lambda: hs256(without("sub")),
        lambda: hs256(without("iat")),
        lambda: hs256({**FRESH_CLAIMS, "sub": "not-a-number"}),
        lambda: jwt.encode(FRESH_CLAIMS, SECRET * 2, algorithm="HS512"),
        lambda: issue_token(user(), SECRET, "https://staging.school.test", NOW),
        lambda: hs256({**FRESH_CLAIMS, "aud": "another-app"}),
        lambda: hs256(without("iss")),
        lambda: hs256(without("aud")),
        lambda: "not.a.token",
        lambda: "",
        lambda: "x" * 10000,
    ],
    ids=[
        "wrong-key",
        "empty-key",
        "alg-none",
        "no-sub",
        "no-iat",
        "bad-sub",
        "hs512",
        "another-deployment",
        "another-audience",
        "no-iss",
        "no-aud",
        "garbage",
        "empty",
        "huge",
    ],
)
def test_forged_or_malformed_tokens_are_refused(forge: object) -> None:
    assert read_token(forge(), SECRET, ISSUER, NOW) is None  # type: ignore[operator]


@pytest.fixture
def key_preparations(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    """Every key PyJWT's HMAC prepares from here on, with nothing cached before."""
    prepared: list[bytes] = []
    prepare = HMACAlgorithm.prepare_key

    def counted(self: HMACAlgorithm, key: str | bytes) -> bytes:
        prepared.append(key if isinstance(key, bytes) else key.encode())
        return prepare(self, key)

    monkeypatch.setattr(HMACAlgorithm, "prepare_key", counted)
    PreparedKeyHMAC.prepare_key.cache_clear()
    VERIFIED.clear()
    yield prepared
    PreparedKeyHMAC.prepare_key.cache_clear()


def test_the_key_is_prepared_once_for_every_new_token(key_preparations: list[bytes]) -> None:
    tokens = [hs256({**FRESH_CLAIMS, "sub": str(n)}) for n in range(1, 4)]
    key_preparations.clear()  # signing them prepared it too
    assert [read_token(token, SECRET, ISSUER, NOW).user_id for token in tokens] == [1, 2, 3]  # type: ignore[union-attr]
    assert key_preparations == [SECRET.encode()]


def test_a_key_pyjwt_refuses_is_refused_for_every_token(key_preparations: list[bytes]) -> None:
    """A refusal raises, and a raising call is not kept: each token asks again."""
    pem = (
        "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----"
    )
    token = hs256(FRESH_CLAIMS)
    key_preparations.clear()  # signing it prepared SECRET
    assert read_token(token, pem, ISSUER, NOW) is None
    assert read_token(token, pem, ISSUER, NOW) is None
    assert key_preparations == [pem.encode(), pem.encode()]


def test_the_rest_of_the_process_keeps_pyjwts_own_hs256() -> None:
    assert type(jwt.PyJWS().get_algorithm_by_name("HS256")) is HMACAlgorithm
    claims = jwt.decode(
        issue_token(user(), SECRET, ISSUER), SECRET, algorithms=["HS256"], audience=AUDIENCE
    )
    assert claims["sub"] == "7"


# A token's segments, good and hostile: every padding, characters outside base64url (the
# standard alphabet's "+" and "/", spaces, a newline, non-ASCII), lengths no encoding gives,
# and segments whose unused bits are set, which decode but do not round-trip.
SEGMENTS = [
    b"",
    b"eyJhbGciOiJIUzI1NiJ9",
    b"eyJhbGciOiJIUzI1NiJ9=",
    b"YQ",
    b"YQ==",
    b"YQ=",
    b"YQ===",
    b"YWI",
    b"YWI=",
    b"YWI==",
    b"YWJj",
    b"YWJj=",
    b"YWJj==",
    b"YWJj====",
    b"Y",
    b"YWJjZ",
    b"=",
    b"==",
    b"YR",
    b"YWJ",
    b"a+b/",
    b"ab c",
    b"abc\n",
    b"ab!!",
    b"!!!!",
    "abç=".encode(),
    b"-_-_",
    b"YQ==YQ==",
    b"\x00\x00\x00\x00",
    base64.urlsafe_b64encode(bytes(range(256))).rstrip(b"="),
    base64.urlsafe_b64encode(bytes(range(256))),
]


def decoded_or_refused(decode: object, segment: bytes) -> bytes | str:
    try:
        return decode(segment, "payload")  # type: ignore[operator]
    except jwt.DecodeError as error:
        return f"refused: {error}"


@pytest.mark.parametrize("segment", SEGMENTS, ids=range(len(SEGMENTS)))
def test_segments_are_read_as_pyjwt_reads_them(segment: bytes) -> None:
    """The quick check decodes what PyJWT decodes, to the same bytes, and refuses what it
    refuses, with the same message."""
    ours = decoded_or_refused(SegmentCheckedJWS._decode_base64url_segment, segment)
    assert ours == decoded_or_refused(PyJWS._decode_base64url_segment, segment)


def test_the_segments_cover_both_answers() -> None:
    """The comparison above means something only if some segments decode and some do not."""
    answers = [decoded_or_refused(PyJWS._decode_base64url_segment, s) for s in SEGMENTS]
    refused = [answer for answer in answers if isinstance(answer, str)]
    assert 8 <= len(refused) <= len(SEGMENTS) - 8


def test_tokens_are_read_through_the_quick_segment_check() -> None:
    assert type(CODEC._jws) is SegmentCheckedJWS
    VERIFIED.clear()
    token = hs256(FRESH_CLAIMS)
    signing_input, signature = token.rsplit(".", 1)
    assert read_token(token, SECRET, ISSUER, NOW) is not None
    VERIFIED.clear()
    assert read_token(f"{signing_input}.{signature[:-1]}+", SECRET, ISSUER, NOW) is None
