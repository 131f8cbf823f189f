"""`crowdsource migrate`: the data folder, the schema on SQLite and PostgreSQL, no Redis."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import asyncpg
import pytest

from tests.helpers.cli import crowdsource
from tests.helpers.services import PostgresServer, free_port


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
