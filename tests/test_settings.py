from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from crowdsource.settings import Settings, SettingsError, writable_folder

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
    with pytest.raises(SettingsError, match="GUEST_SIGN_IN must be on or off, not 'maybe'"):
        load(tmp_path, SECRET_KEY=STRONG, GUEST_SIGN_IN="maybe")


def test_avatars_load_from_githubs_avatar_host_and_nothing_else_by_default(
    tmp_path: Path,
) -> None:
    github = {"GITHUB_CLIENT_ID": "id", "GITHUB_CLIENT_SECRET": "secret"}
    assert load(tmp_path).avatar_origins == ()
    assert load(tmp_path, **github).avatar_origins == ("https://avatars.githubusercontent.com",)
    enterprise = load(
        tmp_path,
        **github,
        GITHUB_URL="http://ghe.school.test/",
        GITHUB_API_URL="http://ghe.school.test/api/v3",
    )
    # GitHub Enterprise Server serves avatars from its own host, or from `avatars.` under it
    # with subdomain isolation.
    assert enterprise.avatar_origins == ("http://ghe.school.test", "http://avatars.ghe.school.test")
    assert load(tmp_path, GITHUB_URL="http://ghe.school.test").avatar_origins == ()


def test_avatar_hosts_add_hosts_or_origins_as_a_content_security_policy_writes_them(
    tmp_path: Path,
) -> None:
    settings = load(
        tmp_path,
        GITHUB_CLIENT_ID="id",
        GITHUB_CLIENT_SECRET="secret",
        AVATAR_HOSTS="Pictures.School.test https://*.googleusercontent.com "
        "http://127.0.0.1:9000/ https://[::1]:8443 pictures.school.test",
    )
    assert settings.avatar_origins == (
        "https://avatars.githubusercontent.com",
        "https://pictures.school.test",
        "https://*.googleusercontent.com",
        "http://127.0.0.1:9000",
        "https://[::1]:8443",
    )


@pytest.mark.parametrize(
    "entry",
    [
        "https://pictures.school.test/ada",
        "ftp://pictures.school.test",
        "*",
        "https://*",
        "pictures.*.test",
        "ada@pictures.school.test",
        "https://pictures.school.test?x",
        "'self'",
        "data:",
    ],
)
def test_avatar_hosts_refuses_what_is_not_a_host_or_origin(tmp_path: Path, entry: str) -> None:
    with pytest.raises(SettingsError, match="AVATAR_HOSTS"):
        load(tmp_path, AVATAR_HOSTS=entry)


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


def test_guests_per_poll_per_address_default_fits_a_class_and_must_be_positive(
    tmp_path: Path,
) -> None:
    assert load(tmp_path, SECRET_KEY=STRONG).guests_per_poll_per_address == 400
    loaded = load(tmp_path, SECRET_KEY=STRONG, GUESTS_PER_POLL_PER_ADDRESS="60")
    assert loaded.guests_per_poll_per_address == 60
    with pytest.raises(SettingsError, match="GUESTS_PER_POLL_PER_ADDRESS"):
        load(tmp_path, SECRET_KEY=STRONG, GUESTS_PER_POLL_PER_ADDRESS="0")


@pytest.mark.parametrize(
    "url",
    [
        "polls.example.edu",
        "ftp://polls.example.edu",
        "https://",
        "https://x.edu/polls",
        "https://x.edu/?a=1",
        "https://user:pw@x.edu",
    ],
)
def test_a_public_url_is_an_origin_or_refused(tmp_path: Path, url: str) -> None:
    with pytest.raises(SettingsError, match="PUBLIC_URL must be the address people type"):
        load(tmp_path, PUBLIC_URL=url)


def test_an_ipv6_host_gives_a_bracketed_default_public_url(tmp_path: Path) -> None:
    settings = Settings.load({"DATA_DIR": str(tmp_path)}, host="::1", port=9000, env_file=None)
    assert settings.public_url == "http://[::1]:9000"


@pytest.mark.parametrize(
    ("name", "url"),
    [
        ("DATABASE_URL", "mysql://u:secret@h/db"),
        ("DATABASE_URL", "data.sqlite3"),
        ("REDIS_URL", "localhost:6379"),
        ("REDIS_URL", "http://u:secret@h"),
    ],
)
def test_a_url_of_a_scheme_the_app_cannot_use_is_refused_masked(
    tmp_path: Path, name: str, url: str
) -> None:
    with pytest.raises(SettingsError, match=f"^{name} must start with one of") as refused:
        load(tmp_path, **{name: url})
    assert "secret" not in str(refused.value)


def test_postgres_and_sqlite_urls_are_accepted(tmp_path: Path) -> None:
    for url in ("postgres://u@h/db", "postgresql://u@h/db?sslmode=require", "sqlite://:memory:"):
        assert load(tmp_path, DATABASE_URL=url).database_url == url


def test_server_options_default_and_are_checked(tmp_path: Path) -> None:
    settings = load(tmp_path)
    assert (settings.log_level, settings.ws_deflate) == ("info", False)
    assert settings.forwarded_allow_ips == "127.0.0.1,::1"
    tuned = load(
        tmp_path, LOG_LEVEL=" WARNING ", CROWDSOURCE_WS_DEFLATE="on", FORWARDED_ALLOW_IPS="*"
    )
    assert (tuned.log_level, tuned.ws_deflate, tuned.forwarded_allow_ips) == ("warning", True, "*")
    with pytest.raises(SettingsError, match="LOG_LEVEL must be one of critical, error, warning"):
        load(tmp_path, LOG_LEVEL="loud")
    with pytest.raises(SettingsError, match="CROWDSOURCE_WS_DEFLATE must be on or off"):
        load(tmp_path, CROWDSOURCE_WS_DEFLATE="maybe")


def test_the_redis_prefix_defaults_and_is_checked(tmp_path: Path) -> None:
    assert load(tmp_path).redis_prefix == "crowdsource"
    assert load(tmp_path, REDIS_PREFIX=" crowdsource-staging: ").redis_prefix == (
        "crowdsource-staging"
    )
    assert load(tmp_path, REDIS_PREFIX="school:polls.v2").redis_prefix == "school:polls.v2"
    for bad in ("two words", "a::b", "x" * 65, "pölls", "a\x1bb"):
        with pytest.raises(SettingsError, match=r"^REDIS_PREFIX must be up to 64 letters"):
            load(tmp_path, REDIS_PREFIX=bad)


def test_a_data_dir_blocked_by_a_file_is_named(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("")
    with pytest.raises(SettingsError, match=r"^DATA_DIR needs a folder this user can write") as no:
        Settings.load({"DATA_DIR": str(tmp_path / "file" / "data")}, env_file=None)
    assert "a file is in the way" in str(no.value)
    assert writable_folder(tmp_path / "new" / "folder", "DATA_DIR").is_dir()


def test_a_data_dir_this_user_may_not_write_is_named_with_the_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What a non-root user gets for a read-only folder. Tests run as root, who may write
    anywhere, so the refusal is what the operating system would answer."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "TemporaryFile", refuse)
    with pytest.raises(SettingsError) as no:
        Settings.load({"DATA_DIR": str(tmp_path / "locked")}, env_file=None)
    assert str(no.value) == (
        f"DATA_DIR needs a folder this user can write, and {str(tmp_path / 'locked')!r} is not "
        "one (Permission denied): set DATA_DIR to another folder"
    )


def test_every_shipped_language_is_offered_and_english_is_the_default(tmp_path: Path) -> None:
    settings = load(tmp_path)
    assert settings.languages == ("en", "es", "fr", "de", "pt-BR", "ar")
    assert settings.default_language == "en"


def test_languages_and_the_default_are_read_in_any_case_and_order(tmp_path: Path) -> None:
    settings = load(tmp_path, LANGUAGES="ar, pt_br fr ar", DEFAULT_LANGUAGE="PT-BR")
    assert settings.languages == ("ar", "pt-BR", "fr")
    assert settings.default_language == "pt-BR"
    assert load(tmp_path, LANGUAGES="fr de").default_language == "fr"  # no English: the first


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"LANGUAGES": "en klingon"}, "LANGUAGES takes the shipped languages .* not 'klingon'"),
        ({"LANGUAGES": "en fr", "DEFAULT_LANGUAGE": "de"}, "DEFAULT_LANGUAGE must be one of"),
    ],
)
def test_a_language_not_shipped_or_not_offered_is_refused(
    tmp_path: Path, env: dict[str, str], message: str
) -> None:
    with pytest.raises(SettingsError, match=message):
        load(tmp_path, **env)
