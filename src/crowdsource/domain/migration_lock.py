"""One process at a time applies migrations to one database.

Two `crowdsource serve` started together on one database (two workers' supervisors, a
restart that overlaps, or two processes sharing one SQLite file) would otherwise both see an
empty schema and both create the tables: the second fails with "table … already exists".
SQLite: an exclusive `flock` on a file beside the database. PostgreSQL: a session advisory
lock, held on a connection of its own for as long as the migrations run."""

from __future__ import annotations

import asyncio
import fcntl
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg

from crowdsource.domain.database_urls import POSTGRES_SCHEMES, sqlite_file

LOCK_SUFFIX = ".migrate-lock"
ADVISORY_LOCK_KEY = 0x43524F57  # "CROW": the same key in every process of every version
CONNECT_TIMEOUT = 10


def sqlite_lock_path(database_url: str) -> Path | None:
    """The lock file of a SQLite database file (None for other databases and `:memory:`)."""
    database = sqlite_file(database_url)
    return None if database is None else database.with_name(database.name + LOCK_SUFFIX)


def asyncpg_dsn(database_url: str) -> str:
    """Tortoise's PostgreSQL URL as asyncpg's `connect` takes it (its own scheme)."""
    parts = urlsplit(database_url)
    return urlunsplit(("postgresql", parts.netloc, parts.path, parts.query, parts.fragment))


@asynccontextmanager
async def migration_lock(database_url: str) -> AsyncIterator[None]:
    """Hold the database's migration lock for the block, waiting for another holder."""
    lock_file = sqlite_lock_path(database_url)
    if lock_file is not None:
        with lock_file.open("a") as handle:
            # flock blocks: wait in a thread so the event loop (and Ctrl-C) stays responsive.
            await asyncio.to_thread(fcntl.flock, handle.fileno(), fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
        return
    if urlsplit(database_url).scheme not in POSTGRES_SCHEMES:
        yield
        return
    connection = await asyncpg.connect(asyncpg_dsn(database_url), timeout=CONNECT_TIMEOUT)
    try:
        await connection.execute("SELECT pg_advisory_lock($1)", ADVISORY_LOCK_KEY)
        yield
    finally:
        await connection.close()  # ending the session releases its advisory lock
