"""CSRF tokens: one serializer per secret, reused; its tokens check as before."""

from __future__ import annotations

from types import SimpleNamespace

from crowdsource.auth.csrf import _serializer, csrf_token, csrf_valid, socket_csrf_token

SECRET = "a-test-secret-that-is-more-than-thirty-two-bytes-long"


def conn(seed: str = "seed-1") -> SimpleNamespace:
    return SimpleNamespace(session={"csrf_seed": seed}, user=SimpleNamespace(user=None))


def test_one_serializer_per_secret_is_reused() -> None:
    assert _serializer(SECRET) is _serializer(SECRET)
    assert _serializer(SECRET) is not _serializer(SECRET + "-rotated")


def test_a_reused_serializer_still_binds_the_token_to_its_secret_and_session() -> None:
    token = csrf_token(conn(), SECRET)
    assert csrf_valid(conn(), SECRET, token)
    assert not csrf_valid(conn(seed="another-browser"), SECRET, token)
    assert not csrf_valid(conn(), SECRET + "-rotated", token)


def test_a_socket_signs_its_pages_seed_and_makes_none_of_its_own() -> None:
    page = conn()
    assert csrf_valid(page, SECRET, socket_csrf_token(page, SECRET))
    bare = SimpleNamespace(session={}, user=SimpleNamespace(user=None))
    assert socket_csrf_token(bare, SECRET) == ""
    assert bare.session == {}  # a seed written here would be kept nowhere
