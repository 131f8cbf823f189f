"""`crowdsource --help`, `serve` refusals, `migrate`."""

from __future__ import annotations

import asyncio
import os
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path

import asyncpg
import pytest

from crowdsource.cli import ws_deflate
from crowdsource.settings import SettingsError
from tests.services import PostgresServer, free_port

REPO = Path(__file__).resolve().parents[1]


def crowdsource(*args: str, data_dir: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {
        k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DATABASE_URL", "REDIS_URL"}
    }
    environment.update(PYTHONPATH=str(REPO / "src"), DATA_DIR=str(data_dir), **env)
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


def test_serve_help_explains_its_options(tmp_path: Path) -> None:
    result = crowdsource("serve", "--help", data_dir=tmp_path)
    assert all(option in result.stdout for option in ("--host", "--port", "--workers"))
    assert "REDIS_URL" in result.stdout


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


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, False),
        ({"CROWDSOURCE_WS_DEFLATE": "off"}, False),
        ({"CROWDSOURCE_WS_DEFLATE": " ON "}, True),
    ],
)
def test_permessage_deflate_is_off_unless_asked_for(
    environ: dict[str, str], expected: bool
) -> None:
    assert ws_deflate(environ) is expected


def test_a_bad_deflate_setting_is_one_clear_line(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="CROWDSOURCE_WS_DEFLATE must be on or off"):
        ws_deflate({"CROWDSOURCE_WS_DEFLATE": "maybe"})
    result = crowdsource("serve", "--port", "1", data_dir=tmp_path, CROWDSOURCE_WS_DEFLATE="maybe")
    assert result.returncode != 0
    assert "CROWDSOURCE_WS_DEFLATE must be on or off" in result.stderr
    assert "Traceback" not in result.stderr
