"""How an OpenID provider's claims become a login, a name and the key of the user."""

from __future__ import annotations

import pytest

from crowdsource.auth.oidc import login_suffix, profile_from_claims, subject_key
from crowdsource.domain.accounts import ProviderProfile


@pytest.mark.parametrize(
    ("claims", "login", "name"),
    [
        ({"sub": "1", "preferred_username": "ada lovelace!"}, "adalovelace@x", "adalovelace"),
        (
            {"sub": "1", "preferred_username": "~~", "email": "g@s.t", "email_verified": True},
            "g@x",
            "g",
        ),
        ({"sub": "1", "email": "g@s.t"}, "user-6b86b273@x", "user-6b86b273"),
        (
            {"sub": "1", "email": "g@s.t", "email_verified": "false"},
            "user-6b86b273@x",
            "user-6b86b273",
        ),
        ({"sub": "1", "nickname": "n"}, "user-6b86b273@x", "user-6b86b273"),
        ({"sub": "1", "preferred_username": "a" * 90}, "a" * 60 + "@x", "a" * 60),
    ],
)
def test_logins_from_claims_are_clean_and_marked(
    claims: dict[str, object], login: str, name: str
) -> None:
    profile = profile_from_claims(claims, "x", "X", "https://x.test")
    key = subject_key("https://x.test", "1")
    assert profile == ProviderProfile("oidc", key, login, name, "", previous_id="1")


def test_users_are_keyed_by_issuer_and_subject() -> None:
    keys = {subject_key(issuer, sub) for issuer in ("https://a", "https://b") for sub in "12"}
    assert len(keys) == 4 and all(len(key) <= 100 for key in keys)
    assert subject_key("https://a", "s" * 255) != subject_key("https://b", "s" * 255)


def test_long_subjects_were_kept_as_their_hash() -> None:
    profile = profile_from_claims({"sub": "s" * 255}, "x", "X", "https://x.test")
    assert profile.previous_id.startswith("sha256:") and len(profile.previous_id) == 71


@pytest.mark.parametrize(
    ("name", "suffix"),
    [("School Login", "school-login"), ("GitLab", "gitlab"), ("¡¡¡", "oidc"), ("x" * 50, "x" * 30)],
)
def test_login_suffix(name: str, suffix: str) -> None:
    assert login_suffix(name) == suffix
