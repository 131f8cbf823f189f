from __future__ import annotations

from pathlib import Path

import pytest

from crowdsource.settings import Settings, SettingsError

STRONG = "s" * 40


def load(tmp_path: Path, **env: str) -> Settings:
    return Settings.load(
        {"DATA_DIR": str(tmp_path), **env}, host="0.0.0.0", port=9000, env_file=None
    )


def test_defaults_follow_the_contract(tmp_path: Path) -> None:
    settings = load(tmp_path)
    assert settings.database_url == f"sqlite://{tmp_path}/crowdsource.sqlite3"
    assert settings.public_url == "http://0.0.0.0:9000"
    assert settings.redis_url is None
    assert settings.guest_sign_in is True
    assert settings.github_url == "https://github.com"
    assert settings.github_api_url == "https://api.github.com"
    assert settings.secure_cookies is False


def test_the_generated_secret_is_kept_and_reused(tmp_path: Path) -> None:
    first, second = load(tmp_path).secret_key, load(tmp_path).secret_key
    assert first == second and len(first) >= 32
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize("weak", ["changeme", "short", "x" * 31])
def test_weak_secrets_are_refused(tmp_path: Path, weak: str) -> None:
    with pytest.raises(SettingsError, match="too weak"):
        load(tmp_path, SECRET_KEY=weak)


def test_guests_default_off_when_github_is_configured(tmp_path: Path) -> None:
    settings = load(
        tmp_path, SECRET_KEY=STRONG, GITHUB_CLIENT_ID="id", GITHUB_CLIENT_SECRET="secret"
    )
    assert settings.github_enabled and settings.guest_sign_in is False
    assert load(
        tmp_path,
        SECRET_KEY=STRONG,
        GITHUB_CLIENT_ID="i",
        GITHUB_CLIENT_SECRET="s",
        GUEST_SIGN_IN="on",
    ).guest_sign_in


def test_https_public_url_means_secure_cookies(tmp_path: Path) -> None:
    settings = load(tmp_path, SECRET_KEY=STRONG, PUBLIC_URL="https://polls.example.edu/")
    assert settings.public_url == "https://polls.example.edu"
    assert settings.public_origin == "https://polls.example.edu"
    assert settings.secure_cookies


def test_a_bad_flag_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SettingsError):
        load(tmp_path, SECRET_KEY=STRONG, GUEST_SIGN_IN="maybe")


def test_plain_http_github_origins_may_serve_avatars(tmp_path: Path) -> None:
    github = {"GITHUB_CLIENT_ID": "id", "GITHUB_CLIENT_SECRET": "secret"}
    assert load(tmp_path, **github).avatar_origins == ()
    enterprise = load(
        tmp_path,
        **github,
        GITHUB_URL="http://ghe.school.test/",
        GITHUB_API_URL="http://ghe.school.test/api/v3",
    )
    assert enterprise.avatar_origins == ("http://ghe.school.test",)
    assert load(tmp_path, GITHUB_URL="http://ghe.school.test").avatar_origins == ()


def test_openid_connect_needs_all_three_settings_and_turns_guests_off(tmp_path: Path) -> None:
    oidc = {
        "OIDC_DISCOVERY_URL": "https://id.school.test/.well-known/openid-configuration",
        "OIDC_CLIENT_ID": "crowdsource",
        "OIDC_CLIENT_SECRET": "secret",
    }
    settings = load(tmp_path, **oidc)
    assert settings.oidc_enabled and settings.provider_sign_in
    assert settings.guest_sign_in is False
    assert settings.oidc_name == "OpenID Connect"
    assert load(tmp_path, **oidc, OIDC_NAME=" GitLab ").oidc_name == "GitLab"
    assert load(tmp_path, **oidc, GUEST_SIGN_IN="on").guest_sign_in is True
    partial = load(tmp_path, **{**oidc, "OIDC_CLIENT_SECRET": ""})
    assert not partial.oidc_enabled and partial.guest_sign_in is True


def test_the_close_sweep_interval_is_configurable_and_must_be_positive(tmp_path: Path) -> None:
    assert load(tmp_path, SECRET_KEY=STRONG).close_sweep_seconds == 15.0
    assert load(tmp_path, SECRET_KEY=STRONG, CLOSE_SWEEP_SECONDS="0.5").close_sweep_seconds == 0.5
    with pytest.raises(SettingsError, match="CLOSE_SWEEP_SECONDS"):
        load(tmp_path, SECRET_KEY=STRONG, CLOSE_SWEEP_SECONDS="0")
