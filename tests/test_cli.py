"""`crowdsource --help`, `serve` refusals, what a running server prints, stopping, `migrate`."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path

import asyncpg
import httpx2
import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from crowdsource import __version__
from crowdsource.cli import ENVIRONMENT
from tests.helpers.client import csrf_of
from tests.helpers.environment import variables_read
from tests.helpers.live_server import LiveServer
from tests.helpers.services import PostgresServer, free_port

REPO = Path(__file__).resolve().parents[1]


def crowdsource(*args: str, data_dir: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {
        k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DATABASE_URL", "REDIS_URL"}
    }
    environment.update({"PYTHONPATH": str(REPO / "src"), "DATA_DIR": str(data_dir), **env})
    return subprocess.run(
        [sys.executable, "-m", "crowdsource", *args],
        capture_output=True,
        text=True,
        env=environment,
        timeout=60,
        check=False,
    )


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


def test_migrate_creates_the_data_dir_schema_and_a_private_secret(tmp_path: Path) -> None:
    data_dir = tmp_path / "fresh" / "data"
    result = crowdsource("migrate", data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    tables = {
        row[0]
        for row in sqlite3.connect(data_dir / "crowdsource.sqlite3").execute(
            "select name from sqlite_master where type='table'"
        )
    }
    assert {"users", "polls", "choices", "votes"} <= tables
    secret = data_dir / "secret_key"
    assert secret.stat().st_mode & 0o777 == 0o600
    assert len(secret.read_text().strip()) >= 32
    assert crowdsource("migrate", data_dir=data_dir).returncode == 0


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


def test_migrate_needs_no_redis(tmp_path: Path) -> None:
    """The release step on Fly.io runs before Redis matters: it only touches the database."""
    url = f"redis://127.0.0.1:{free_port()}/0"
    assert crowdsource("migrate", data_dir=tmp_path, REDIS_URL=url).returncode == 0


@pytest.mark.postgres
def test_migrate_builds_the_schema_on_postgresql(
    tmp_path: Path, postgres_server: PostgresServer
) -> None:
    name = postgres_server.create_database()
    try:
        url = postgres_server.url(name)
        result = crowdsource("migrate", data_dir=tmp_path, DATABASE_URL=url)
        assert result.returncode == 0, result.stderr
        assert asyncio.run(tables_of(url)) >= {"users", "polls", "choices", "votes"}
        assert crowdsource("migrate", data_dir=tmp_path, DATABASE_URL=url).returncode == 0
    finally:
        postgres_server.drop_database(name)


async def tables_of(url: str) -> set[str]:
    connection = await asyncpg.connect(url)
    try:
        rows = await connection.fetch("select tablename from pg_tables where schemaname='public'")
    finally:
        await connection.close()
    return {row["tablename"] for row in rows}


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


# -- a running server: what it prints, and how it stops ------------------------------------

ACCESS_LINE = re.compile(r"^\d\d:\d\d:\d\d GET /healthz 200 \d+\.\dms$", re.MULTILINE)


def guest_poll(server: LiveServer) -> tuple[str, str]:
    """A guest signs in and creates a poll: (slug, cookie header)."""
    with httpx2.Client(base_url=server.url) as http:
        login = http.get("/login")
        http.post(
            "/login/guest", data={"name": "Ada", "next": "/", "csrf_token": csrf_of(login.text)}
        )
        home = http.get("/")
        created = http.post(
            "/polls",
            data={"question": "Tea?", "choices": ["Yes", "No"], "csrf_token": csrf_of(home.text)},
        )
        assert created.status_code == 303, created.text
        cookie = "; ".join(f"{name}={value}" for name, value in http.cookies.items())
        return created.headers["location"].rsplit("/", 1)[1], cookie


@pytest.mark.parametrize(
    ("stop", "log_level"),
    [(signal.SIGINT, "info"), (signal.SIGTERM, "warning")],
    ids=["ctrl-c, access log", "sigterm, quiet"],
)
def test_a_server_says_where_to_go_logs_one_line_per_request_and_stops_cleanly(
    tmp_path: Path, stop: signal.Signals, log_level: str
) -> None:
    server = LiveServer(
        tmp_path / "data",
        {"LOG_LEVEL": log_level, "GITHUB_CLIENT_ID": "id", "GITHUB_CLIENT_SECRET": "secret"},
    ).start()
    try:
        slug, cookie = guest_poll(server)
        with connect(
            f"{server.ws_url}/polls/{slug}/ws",
            additional_headers={"Cookie": cookie},
            open_timeout=10,
        ) as socket_:
            socket_.recv(timeout=10)  # the full state
            assert server.process is not None
            server.process.send_signal(stop)
            with pytest.raises(ConnectionClosed) as closed:
                while True:
                    socket_.recv(timeout=15)
            assert closed.value.rcvd is not None and closed.value.rcvd.code == 1012
        assert server.process.wait(timeout=20) == 0
    finally:
        server.stop()
    log = server.log()
    assert log.startswith(
        f"Crowdsource {__version__}: open {server.url} in a browser. Ctrl+C stops it.\n"
        "  sign-in   GitHub, guests with a display name\n"
        f"  database  sqlite://{tmp_path}/data/crowdsource.sqlite3\n"
    )
    assert log.rstrip().endswith("Crowdsource stopped.")
    assert "Traceback" not in log and "INFO:" not in log and "Uvicorn running" not in log
    if log_level == "info":
        assert ACCESS_LINE.search(log)
        assert re.search(rf"^\d\d:\d\d:\d\d WS /polls/{slug}/ws open$", log, re.MULTILINE)
        assert re.search(
            rf"^\d\d:\d\d:\d\d WS /polls/{slug}/ws closed 1012 after \d+\.\ds$", log, re.MULTILINE
        )
    else:
        assert "GET /" not in log and "WS /" not in log


@pytest.mark.parametrize(
    ("command", "status", "last_line"),
    [
        (["serve", "--port", str(free_port())], 0, "Crowdsource stopped."),
        (["migrate"], 130, "crowdsource: interrupted; run `crowdsource migrate` again"),
    ],
)
def test_ctrl_c_while_waiting_for_the_database_is_one_line(
    tmp_path: Path, command: list[str], status: int, last_line: str
) -> None:
    with socket.socket() as silent:  # a database that never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        url = f"postgres://app:pw@127.0.0.1:{silent.getsockname()[1]}/polls"
        environment = {**os.environ, "PYTHONPATH": str(REPO / "src"), "DATA_DIR": str(tmp_path)}
        process = subprocess.Popen(
            [sys.executable, "-m", "crowdsource", *command],
            env={**environment, "DATABASE_URL": url},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        silent.settimeout(30)
        connection, _ = silent.accept()  # it is waiting for the database now (up to 10 s)
        with connection:
            process.send_signal(signal.SIGINT)
            output, _ = process.communicate(timeout=20)
    assert process.returncode == status
    assert output.strip().splitlines() == [last_line]
