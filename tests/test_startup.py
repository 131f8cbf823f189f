"""What `serve` checks and prints before it starts."""

from __future__ import annotations

import socket
from pathlib import Path

from crowdsource import __version__
from crowdsource.startup import banner, listen_problem, warnings
from tests.helpers.client import make_settings


def test_a_free_port_has_no_problem_and_a_taken_one_says_so() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert listen_problem("127.0.0.1", port) == (
            f"127.0.0.1:{port} is already in use; choose another --port."
        )
    assert listen_problem("127.0.0.1", port) is None


def test_an_address_of_another_machine_is_named() -> None:
    problem = listen_problem("192.0.2.1", 8000)  # TEST-NET-1: never this machine's
    assert problem is not None and problem.startswith("192.0.2.1 is not an address of this")


def test_the_banner_says_where_to_go_how_to_sign_in_and_the_database_masked(
    tmp_path: Path,
) -> None:
    settings = make_settings(
        tmp_path,
        public_url="https://polls.example.edu",
        database_url="postgres://app:hunter2@db.internal:5432/polls",
        redis_url="redis://:hunter3@cache.internal:6379/0",
        github_client_id="id",
        github_client_secret="secret",
        oidc_discovery_url="https://gitlab.example.edu/.well-known/openid-configuration",
        oidc_client_id="id",
        oidc_client_secret="secret",
        oidc_name="GitLab",
        guest_sign_in=False,
    )
    assert banner(settings, workers=2) == [
        f"Crowdsource {__version__}: open https://polls.example.edu in a browser. Ctrl+C stops it.",
        "  sign-in   GitHub, GitLab (OpenID Connect)",
        "  database  postgres://app:***@db.internal:5432/polls",
        "  Redis     redis://:***@cache.internal:6379/0 (2 worker processes)",
    ]


def test_the_banner_names_github_enterprise_and_guests(tmp_path: Path) -> None:
    settings = make_settings(
        tmp_path,
        github_client_id="id",
        github_client_secret="secret",
        github_url="https://github.school.example",
    )
    assert banner(settings, workers=1)[1] == (
        "  sign-in   GitHub (https://github.school.example), guests with a display name"
    )


def test_a_sound_configuration_has_no_warnings(tmp_path: Path) -> None:
    assert warnings(make_settings(tmp_path)) == []


def test_a_wildcard_public_url_is_warned_about(tmp_path: Path) -> None:
    for url in ("http://0.0.0.0:8080", "http://[::]:8080"):
        (warning,) = warnings(make_settings(tmp_path, public_url=url))
        assert warning.startswith(f"PUBLIC_URL is {url} (from --host when unset)")
        assert warning.endswith("PUBLIC_URL=http://my-laptop.local:8080")


def test_half_a_provider_and_nobody_able_to_sign_in_are_warned_about(tmp_path: Path) -> None:
    settings = make_settings(
        tmp_path, github_client_id="id", oidc_client_secret="secret", guest_sign_in=False
    )
    assert warnings(settings) == [
        "GitHub sign-in is off: GITHUB_CLIENT_SECRET not set",
        "OpenID Connect sign-in is off: OIDC_DISCOVERY_URL, OIDC_CLIENT_ID not set",
        "nobody can sign in: set GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET, or GUEST_SIGN_IN=on",
    ]
