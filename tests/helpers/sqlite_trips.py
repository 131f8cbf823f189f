"""A SQLite database of a test's own; counting the trips its statements make to the driver's
thread (aiosqlite's queue), and which thread ran each statement."""

from __future__ import annotations

import asyncio
import itertools
import sqlite3
import threading
import time
from collections.abc import AsyncIterator, Awaitable
from contextlib import asynccontextmanager, closing
from pathlib import Path
from typing import Any, TypeVar

import aiosqlite
import pytest
from tortoise.backends.base.executor import EXECUTOR_CACHE
from tortoise.connection import get_connection
from tortoise.context import TortoiseContext

from crowdsource.domain.db import CONNECTION, migrate, tortoise_config

T = TypeVar("T")


@asynccontextmanager
async def sqlite_database(path: Path, query: str = "") -> AsyncIterator[Path]:
    """A migrated SQLite file at `path`, the app's connection to it opened with `query`'s
    pragmas, whatever database the other tests run on. Tortoise caches each model's INSERT
    per connection name, not per dialect: the cache is emptied on the way in and out."""
    await migrate(f"sqlite://{path}")
    EXECUTOR_CACHE.clear()
    try:
        async with TortoiseContext() as context:
            await context.init(config=tortoise_config(f"sqlite://{path}{query}"))
            yield path
    finally:
        EXECUTOR_CACHE.clear()


def count_trips(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """From now on, each call queued to the driver's thread is noted: its SQL's first word,
    or the name of the function it runs (`commit`)."""
    trips: list[str] = []
    run_in_thread = aiosqlite.Connection._execute

    async def counted(self: aiosqlite.Connection, fn: Any, *args: Any, **kwargs: Any) -> Any:
        named = args[0] if args and isinstance(args[0], str) else fn.__name__
        trips.append(named.split()[0])
        return await run_in_thread(self, fn, *args, **kwargs)

    monkeypatch.setattr(aiosqlite.Connection, "_execute", counted)
    return trips


def statements_by_thread() -> tuple[list[tuple[str, bool]], sqlite3.Connection]:
    """Each statement the app's connection runs from now on, and whether on this thread;
    the connection, whose `set_trace_callback(None)` stops it."""
    ran: list[tuple[str, bool]] = []
    here = threading.get_ident()
    raw = get_connection(CONNECTION)._connection._conn
    raw.set_trace_callback(lambda sql: ran.append((sql, threading.get_ident() == here)))
    return ran, raw


async def busy_timeout() -> int:
    """How long the app's connection waits for another's lock, in ms."""
    _, rows = await get_connection(CONNECTION).execute_query("PRAGMA busy_timeout")
    return int(rows[0][0])


async def waiting_for_another(
    path: Path, begin: str, change: tuple[str, tuple[Any, ...]], awaited: Awaitable[T]
) -> T:
    """Another process holds the database file at `path` (`begin`, then `change`) while
    `awaited` runs: it must wait, not be refused, and the event loop must keep running
    meanwhile; once the other commits, its result."""
    other = sqlite3.connect(path, timeout=5, isolation_level=None)
    with closing(other):
        other.execute(begin)
        other.execute(*change)
        running = asyncio.ensure_future(awaited)
        ticks = [time.monotonic()]
        for _ in range(20):
            await asyncio.sleep(0.01)
            ticks.append(time.monotonic())
        assert not running.done()  # waiting for the lock, not refused
        other.execute("COMMIT")
        result = await asyncio.wait_for(running, 5)
    assert max(b - a for a, b in itertools.pairwise(ticks)) < 1  # the loop was never held up
    return result
