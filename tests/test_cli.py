"""`crowdsource --help`, and what `serve` and `migrate` refuse before they start, in one line."""

from __future__ import annotations

import socket
import subprocess
from pathlib import Path

import pytest

from crowdsource.cli import ENVIRONMENT
from tests.helpers.cli import crowdsource
from tests.helpers.environment import variables_read
from tests.helpers.services import free_port


def test_help_lists_the_commands(tmp_path: Path) -> None:
    result = crowdsource("--help", data_dir=tmp_path)
    assert result.returncode == 0
    assert "serve" in result.stdout and "migrate" in result.stdout


def test_help_says_how_to_start(tmp_path: Path) -> None:
    shown = " ".join(crowdsource("--help", data_dir=tmp_path).stdout.split())
    assert "Start with `crowdsource serve` and open the address it prints." in shown
    assert "`crowdsource serve --help` lists them" in shown


def test_no_command_prints_the_help(tmp_path: Path) -> None:
    result = crowdsource(data_dir=tmp_path)
    assert result.returncode == 2
    assert "serve" in result.stderr and "migrate" in result.stderr
    assert "Traceback" not in result.stderr


def test_serve_help_explains_its_options(tmp_path: Path) -> None:
    result = crowdsource("serve", "--help", data_dir=tmp_path)
    assert all(option in result.stdout for option in ("--host", "--port", "--workers"))
    assert "REDIS_URL" in result.stdout


def test_serve_and_migrate_help_list_every_variable_the_code_reads(tmp_path: Path) -> None:
    read = variables_read(tmp_path)
    listed = {name for names, _ in ENVIRONMENT for name in names.split(", ")}
    assert listed == read
    for command in ("serve", "migrate"):
        shown = crowdsource(command, "--help", data_dir=tmp_path).stdout
        assert [name for name in sorted(read) if name not in shown] == []


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        (["--port", "abc"], "a port is a number from 1 to 65535, not 'abc'"),
        (["--port", "0"], "a port is a number from 1 to 65535, not '0'"),
        (["--workers", "x"], "the number of worker processes is 1 or more, not 'x'"),
    ],
)
def test_a_bad_option_says_what_it_expects(
    tmp_path: Path, arguments: list[str], expected: str
) -> None:
    result = crowdsource("serve", *arguments, data_dir=tmp_path)
    assert result.returncode == 2
    assert expected in result.stderr and "Traceback" not in result.stderr


def test_several_workers_without_redis_refuse_to_start(tmp_path: Path) -> None:
    result = crowdsource("serve", "--workers", "2", data_dir=tmp_path)
    assert result.returncode != 0
    assert "REDIS_URL" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_port_in_use_is_one_clear_line(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = crowdsource("serve", "--port", str(port), data_dir=tmp_path)
    assert result.returncode != 0
    assert f"127.0.0.1:{port} is already in use" in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_a_weak_secret_key_is_refused(tmp_path: Path) -> None:
    result = crowdsource("migrate", data_dir=tmp_path, SECRET_KEY="changeme")
    assert result.returncode != 0
    assert "SECRET_KEY is too weak" in result.stderr


def one_clear_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_an_unreachable_database_url_is_one_line_with_the_password_masked(tmp_path: Path) -> None:
    url = f"postgres://app:hunter2@127.0.0.1:{free_port()}/crowdsource?sslmode=require"
    for command in (("migrate",), ("serve", "--port", str(free_port()))):
        line = one_clear_line(crowdsource(*command, data_dir=tmp_path, DATABASE_URL=url))
        assert line.startswith(
            "crowdsource: cannot connect to DATABASE_URL postgres://app:***@127.0.0.1:"
        )
        assert "hunter2" not in line


def test_an_unreachable_redis_url_stops_serve_with_one_line(tmp_path: Path) -> None:
    url = f"redis://:hunter2@127.0.0.1:{free_port()}/0"
    line = one_clear_line(
        crowdsource("serve", "--port", str(free_port()), data_dir=tmp_path, REDIS_URL=url)
    )
    assert line.startswith("crowdsource: cannot connect to REDIS_URL redis://:***@127.0.0.1:")
    assert "hunter2" not in line


def test_a_bad_deflate_setting_is_one_clear_line(tmp_path: Path) -> None:
    result = crowdsource("serve", "--port", "1", data_dir=tmp_path, CROWDSOURCE_WS_DEFLATE="maybe")
    assert "CROWDSOURCE_WS_DEFLATE must be on or off" in one_clear_line(result)


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        ({"DATA_DIR": "{file}/data"}, "DATA_DIR needs a folder this user can write, and "),
        ({"DATABASE_URL": "sqlite://{file}/db.sqlite3"}, "DATABASE_URL needs a folder this user"),
        (
            {"DATABASE_URL": "mysql://app:hunter2@127.0.0.1/polls"},
            "DATABASE_URL must start with one of sqlite://, postgres://, postgresql://, "
            "asyncpg://, not 'mysql://app:***@127.0.0.1/polls'",
        ),
        ({"DATABASE_URL": "polls.sqlite3"}, "DATABASE_URL must start with one of sqlite://"),
        ({"REDIS_URL": "127.0.0.1:6379"}, "REDIS_URL must start with one of redis://"),
        ({"PUBLIC_URL": "polls.example.edu"}, "PUBLIC_URL must be the address people type"),
        ({"PUBLIC_URL": "https://example.edu/polls"}, "scheme and host only"),
        ({"GUEST_SIGN_IN": "maybe"}, "GUEST_SIGN_IN must be on or off, not 'maybe'"),
        ({"LOG_LEVEL": "loud"}, "LOG_LEVEL must be one of critical, error, warning, info, "),
        ({"VOTES_PER_SECOND": "lots"}, "VOTES_PER_SECOND must be a number, got 'lots'"),
    ],
)
def test_a_bad_setting_is_one_line_that_names_it(
    tmp_path: Path, environment: dict[str, str], expected: str
) -> None:
    """Before anything starts or connects; nothing is created where the setting is wrong."""
    in_the_way = tmp_path / "a-file"
    in_the_way.write_text("not a folder")
    env = {name: value.format(file=in_the_way) for name, value in environment.items()}
    for command in (("serve", "--port", str(free_port())), ("migrate",)):
        line = one_clear_line(crowdsource(*command, data_dir=tmp_path / "data", **env))
        assert line.startswith("crowdsource: ") and expected in line
        assert "hunter2" not in line
    assert in_the_way.read_text() == "not a folder"


def test_a_host_that_is_not_this_machine_is_one_line(tmp_path: Path) -> None:
    line = one_clear_line(crowdsource("serve", "--host", "192.0.2.1", data_dir=tmp_path))
    assert "192.0.2.1 is not an address of this machine; use --host 127.0.0.1" in line
