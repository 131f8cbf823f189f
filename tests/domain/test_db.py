"""Database URLs for asyncpg, and telling an outage from a bad query."""

from __future__ import annotations

import asyncio
import sqlite3
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg
import ciso8601
import pytest
import tortoise.fields.data
from tortoise.context import TortoiseContext
from tortoise.exceptions import DBConnectionError, IntegrityError, OperationalError
from tortoise.transactions import in_transaction

from crowdsource.domain.db import (
    is_outage,
    migrate,
    normalise_database_url,
    tortoise_config,
    with_connect_timeout,
)
from crowdsource.domain.migration_lock import asyncpg_dsn, migration_lock
from crowdsource.domain.models import Poll
from tests.helpers.factories import make_poll
from tests.helpers.sqlite_trips import count_trips


@pytest.mark.usefixtures("orm")
async def test_stored_times_are_read_in_c_and_come_back_as_they_were_written() -> None:
    """Tortoise parses times with ciso8601 when it is installed (a dependency for that
    reason), iso8601's Python otherwise."""
    assert tortoise.fields.data.parse_datetime is ciso8601.parse_datetime
    poll = await make_poll(closes_at=datetime(2026, 12, 7, 11, 30, 46, 123456, tzinfo=UTC))
    stored = await Poll.get(id=poll.id)
    assert stored.closes_at == datetime(2026, 12, 7, 11, 30, 46, 123456, tzinfo=UTC)
    assert stored.closes_at.tzinfo is not None and stored.created_at.utcoffset() == timedelta(0)


def test_postgres_urls_get_a_connect_timeout_unless_they_have_one() -> None:
    assert with_connect_timeout("postgres://u@h/db") == "postgres://u@h/db?timeout=10"
    assert with_connect_timeout("postgres://u@h/db?a=1") == "postgres://u@h/db?a=1&timeout=10"
    assert with_connect_timeout("postgres://u@h/db?timeout=3") == "postgres://u@h/db?timeout=3"
    assert with_connect_timeout("sqlite://data/x.sqlite3") == "sqlite://data/x.sqlite3"


@pytest.mark.parametrize(
    "error",
    [
        ConnectionRefusedError(111, "Connect call failed"),
        ConnectionResetError(104, "reset"),
        TimeoutError(),
        DBConnectionError("cannot connect"),
        asyncpg.CannotConnectNowError("the database system is starting up"),
        asyncpg.AdminShutdownError("terminating connection due to administrator command"),
        asyncpg.ConnectionDoesNotExistError("connection was closed in the middle of operation"),
        asyncpg.TooManyConnectionsError("too many clients"),
    ],
)
def test_unreachable_database_errors_are_outages(error: Exception) -> None:
    assert is_outage(error)


@pytest.mark.parametrize(
    "error",
    [
        OperationalError("syntax error at or near ','"),
        IntegrityError("duplicate key"),
        ValueError("bad"),
        FileNotFoundError(2, "No such file"),
    ],
)
def test_other_errors_are_not_outages(error: Exception) -> None:
    assert not is_outage(error)


def test_a_plain_os_error_is_an_outage_only_when_the_driver_raised_it() -> None:
    def raise_here() -> None:
        raise OSError("Multiple exceptions: [Errno 111] ..., [Errno 99] ...")

    try:
        raise_here()
    except OSError as error:
        assert not is_outage(error)
    driver_code = compile(
        "raise OSError('Multiple exceptions')", "asyncpg/connect_utils.py", "exec"
    )
    try:
        exec(driver_code, {"__name__": "asyncpg.connect_utils"})
    except OSError as error:
        assert is_outage(error)


def test_sqlite_commits_with_synchronous_normal_unless_told_otherwise() -> None:
    from crowdsource.domain.db import with_sqlite_pragmas

    assert (
        with_sqlite_pragmas("sqlite://data/x.sqlite3")
        == "sqlite://data/x.sqlite3?synchronous=NORMAL"
    )
    assert with_sqlite_pragmas("sqlite://x.db?a=1") == "sqlite://x.db?a=1&synchronous=NORMAL"
    assert with_sqlite_pragmas("sqlite://x.db?synchronous=FULL") == "sqlite://x.db?synchronous=FULL"
    assert with_sqlite_pragmas("postgres://u@h/db") == "postgres://u@h/db"


async def test_a_sqlite_transaction_waits_for_another_process_instead_of_failing(
    tmp_path: Path,
) -> None:
    """Another process (a second worker) writes while a transaction is between its read and
    its write. With a deferred BEGIN, SQLite refuses that write at once ("database is
    locked"); with BEGIN IMMEDIATE the other writer waits its turn and both writes land."""
    path = tmp_path / "shared.sqlite3"
    url = f"sqlite://{path}"
    await migrate(url)
    async with TortoiseContext() as context:
        await context.init(config=tortoise_config(url))
        poll = await make_poll(question="Before")

        def other_process_renames_it() -> None:
            with closing(sqlite3.connect(path, timeout=5)) as other:
                other.execute("UPDATE polls SET question = 'Other' WHERE id = ?", (poll.id,))
                other.commit()

        async with in_transaction():
            assert await Poll.filter(id=poll.id).count() == 1  # a read first
            other = asyncio.create_task(asyncio.to_thread(other_process_renames_it))
            await asyncio.sleep(0.3)  # the other process writes now, or waits for us
            await Poll.filter(id=poll.id).update(results_visibility="closed")
        await other
        stored = await Poll.get(id=poll.id)
        assert (stored.question, stored.results_visibility) == ("Other", "closed")


async def test_a_sqlite_transaction_goes_to_sqlite_s_thread_only_for_its_statements(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In a plain transaction every statement is a trip to the driver's thread, and the
    transaction makes none of its own besides BEGIN and COMMIT (no commit before its BEGIN).
    A short one (a group of ballots) makes fewer: test_short_transactions.py."""
    url = f"sqlite://{tmp_path / 'trips.sqlite3'}"
    await migrate(url)
    async with TortoiseContext() as context:
        await context.init(config=tortoise_config(url))
        poll = await make_poll(question="Trips")
        trips = count_trips(monkeypatch)
        async with in_transaction():
            await Poll.filter(id=poll.id).update(results_visibility="closed")
        assert trips == ["BEGIN", "UPDATE", "commit"]
        assert (await Poll.get(id=poll.id)).results_visibility == "closed"


async def test_a_second_migration_waits_for_the_one_in_progress(database_url: str) -> None:
    """Two processes started together on one database migrate one after the other, instead
    of both creating the tables ("table users already exists")."""
    async with migration_lock(normalise_database_url(database_url)):
        waiting = asyncio.create_task(migrate(database_url))
        await asyncio.sleep(0.5)
        assert not waiting.done()
    await asyncio.wait_for(waiting, 30)
    async with TortoiseContext() as context:
        await context.init(config=tortoise_config(database_url))
        assert await Poll.all().count() == 0  # the schema is there


async def _last_statement(database_url: str, pid: int) -> str:
    """What the backend `pid` last ran, as PostgreSQL reports it to another connection."""
    other = await asyncpg.connect(asyncpg_dsn(database_url))
    try:
        return str(await other.fetchval("select query from pg_stat_activity where pid = $1", pid))
    finally:
        await other.close()


@pytest.mark.postgres
async def test_postgres_takes_a_connection_back_without_another_trip(shared_database: str) -> None:
    """asyncpg's pool would reset each connection it takes back with one more statement
    (`RESET ALL`, …) and wait for it: a second trip for every read outside a transaction and
    a third after a transaction's COMMIT. The app's pool takes it back as it is
    (`db.keep_session`): the last statement its backend ran is the app's own."""
    async with TortoiseContext() as context:
        await context.init(config=tortoise_config(shared_database))
        poll = await make_poll(question="Trips")
        _, (row,) = await context.db().execute_query("select pg_backend_pid() as pid")
        pid = row["pid"]
        assert "pg_backend_pid" in await _last_statement(shared_database, pid)
        async with in_transaction():
            await Poll.filter(id=poll.id).update(results_visibility="closed")
        assert (await _last_statement(shared_database, pid)).strip(" ;").upper() == "COMMIT"


@pytest.mark.postgres
async def test_postgres_still_rolls_back_a_transaction_left_open(shared_database: str) -> None:
    """Taking a connection back as it is never keeps a transaction open on it: asyncpg rolls
    it back before it asks `keep_session`, so the next user of the connection starts clean."""
    async with TortoiseContext() as context:
        await context.init(config=tortoise_config(shared_database))
        poll = await make_poll(question="Before")
        pool = context.db()._pool
        async with pool.acquire() as connection:
            await connection.execute("begin")
            await connection.execute("update polls set question = 'Open' where id = $1", poll.id)
        async with pool.acquire() as connection:
            assert not connection.is_in_transaction()
        assert (await Poll.get(id=poll.id)).question == "Before"
