"""Tortoise's SQLite client with transactions that take the write lock when they begin.

A transaction opened with a plain (deferred) `BEGIN` reads first and asks for the write
lock at its first write. When another process has written in between, SQLite cannot let it
upgrade and answers "database is locked" at once, without waiting (its snapshot is stale).
`BEGIN IMMEDIATE` asks for the lock up front, where SQLite's busy timeout applies: a
transaction then waits its turn, so several processes (`serve --workers N`) can share one
SQLite file. Statements outside a transaction already wait.

A short transaction (`short_transaction`: a group of ballots, statements by key) runs its
statements on the event loop's thread, not as a trip each to the driver's: a trip costs 80 to
150 µs of waiting and about as much CPU in thread switches, ten times what SQLite takes to
run one such statement (`python -m bench.vote_cost`); on a busy loop, a trip's answer also
waits behind everything else ready to run. Only what may wait goes to the driver's thread:
ROLLBACK, BEGIN IMMEDIATE when another process holds the write lock (tried first at once,
with a busy timeout of 0; then waited for as any transaction does), and COMMIT when it could
sync (another journal mode, or `synchronous` FULL named in the URL). In WAL mode with
synchronous=NORMAL (`db.with_sqlite_pragmas`) a commit only appends to the log once the
connection's automatic checkpoint is off; `wal_checkpoints.py` checkpoints from a
connection of its own instead. Between BEGIN and COMMIT the transaction holds the write
lock, so no statement can wait for another connection, and Tortoise's lock keeps every
other statement of this process off the connection until the transaction ends.

A read by key outside a transaction (`execute_rows_by_key`: a publish reading
the ballots of the voters its news named) runs on the event loop's thread as well, under
Tortoise's lock: in WAL mode a read does not wait for writers, and in the rare moment it
would (another connection recovering the log), it is tried with a busy timeout of 0 and
then sent to the driver's thread."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import aiosqlite
from tortoise.backends.base.client import NestedTransactionContext, TransactionContext
from tortoise.backends.sqlite.client import (
    SqliteClient,
    SqliteTransactionContext,
    SqliteTransactionWrapper,
    translate_exceptions,
)
from tortoise.exceptions import TransactionManagementError

from crowdsource.domain.wal_checkpoints import WalCheckpoints

Row = tuple[Any, ...]


def _plain_rows(connection: sqlite3.Connection, query: str, values: Sequence[Any]) -> list[Row]:
    """Where the connection runs statements: the rows as tuples, not the `sqlite3.Row`
    Tortoise's connection makes of each (for access by name: 2 µs a row more, here)."""
    cursor = connection.cursor()
    cursor.row_factory = None
    try:
        return cursor.execute(query, values).fetchall()
    finally:
        cursor.close()


@contextmanager
def _not_waiting(connection: sqlite3.Connection) -> Iterator[None]:
    """Statements here with a busy timeout of 0: a lock held elsewhere raises SQLITE_BUSY at
    once instead of holding up the calling thread. The connection's own is restored."""
    ((waits,),) = connection.execute("PRAGMA busy_timeout").fetchall()
    connection.execute("PRAGMA busy_timeout = 0")
    try:
        yield
    finally:
        connection.execute(f"PRAGMA busy_timeout = {int(waits)}")


def _busy(error: sqlite3.OperationalError) -> bool:
    return error.sqlite_errorcode & 0xFF == sqlite3.SQLITE_BUSY


class PlainRows:
    """What `domain/kept_statements.py` asks a SQLite client for: `execute_rows`, one trip to
    the driver's thread (none in a short transaction), and `execute_rows_by_key`, none unless
    it would wait; logged as Tortoise logs each statement."""

    @translate_exceptions
    async def execute_rows(self, query: str, values: Sequence[Any]) -> list[Row]:
        async with self.acquire_connection() as connection:  # type: ignore[attr-defined]
            self.log.debug("%s: %s", query, values)  # type: ignore[attr-defined]
            return await connection._execute(_plain_rows, connection._conn, query, values)

    @translate_exceptions
    async def execute_rows_by_key(self, query: str, values: Sequence[Any]) -> list[Row]:
        """A read as short as a vote's: where it is awaited, unless it would wait (then as
        `execute_rows`)."""
        async with self.acquire_connection() as connection:  # type: ignore[attr-defined]
            try:
                with _not_waiting(connection._conn):
                    self.log.debug("%s: %s", query, values)  # type: ignore[attr-defined]
                    return _plain_rows(connection._conn, query, values)
            except sqlite3.OperationalError as error:
                if not _busy(error):
                    raise
        return await self.execute_rows(query, values)


class ImmediateTransactionWrapper(PlainRows, SqliteTransactionWrapper):
    def _waiting_connection(self) -> aiosqlite.Connection:
        """Where a statement that may wait for a lock runs: the driver's thread."""
        return self._connection

    async def begin(self) -> None:
        connection = self._waiting_connection()
        try:
            # Tortoise commits first, in case the driver left a transaction open. Ours runs
            # in autocommit (isolation_level=None): that commit was a no-op, but one more
            # trip to SQLite's thread in every vote's path. Asked here, without a trip.
            if connection.in_transaction:
                await connection.commit()
            await connection.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:
            raise TransactionManagementError(error) from error

    def _in_transaction(self) -> TransactionContext:
        return NestedTransactionContext(ImmediateTransactionWrapper(self))


class InlineStatements(aiosqlite.Connection):
    """The driver's connection as a short transaction uses it: every statement runs at once,
    on the caller's thread; commit and rollback still go to the driver's thread. aiosqlite's
    own methods are kept; only the step that queues a call to its thread is replaced."""

    def __init__(self, driver: aiosqlite.Connection) -> None:  # no thread, no queue of its own
        self.driver = driver
        self._iter_chunk_size = driver._iter_chunk_size

    @property
    def _conn(self) -> sqlite3.Connection:
        return self.driver._conn

    async def _execute(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        return fn(*args, **kwargs)

    def commit_now(self) -> None:
        """COMMIT on the caller's thread (only where it cannot sync or checkpoint)."""
        self._conn.commit()

    def begin_now(self) -> bool:
        """BEGIN IMMEDIATE here when the write lock is free at once (False when another
        connection holds it: then begin where waiting is allowed)."""
        try:
            with _not_waiting(self._conn):
                self._conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:
            if not _busy(error):
                raise
            return False
        return True

    async def commit(self) -> None:
        await self.driver.commit()

    async def rollback(self) -> None:
        await self.driver.rollback()

    async def close(self) -> None:
        await self.driver.close()

    def __del__(self) -> None:  # the driver's connection outlives this view of it
        pass


class ShortTransactionWrapper(ImmediateTransactionWrapper):
    """A transaction whose statements run on the event loop's thread (`InlineStatements`)."""

    @property  # type: ignore[override]
    def _connection(self) -> InlineStatements | None:
        return self._inline

    @_connection.setter
    def _connection(self, driver: aiosqlite.Connection | None) -> None:
        # Set by Tortoise with the client's connection, when the wrapper is made and again
        # once the connection is open.
        self._driver = driver
        self._inline = InlineStatements(driver) if driver is not None else None

    def _waiting_connection(self) -> aiosqlite.Connection:
        assert self._driver is not None
        return self._driver

    async def begin(self) -> None:
        """At once when no other process is writing; else on the driver's thread."""
        assert self._inline is not None and self._driver is not None
        if not self._driver.in_transaction:
            try:
                if self._inline.begin_now():
                    return
            except sqlite3.OperationalError as error:
                raise TransactionManagementError(error) from error
        await super().begin()

    async def commit(self) -> None:
        """At once when the client's commits only append to the log; else Tortoise's, on the
        driver's thread (which also refuses a transaction already finished)."""
        if self._finalized or not self._parent.commits_inline:  # type: ignore[attr-defined]
            await super().commit()
            return
        assert self._inline is not None
        self._inline.commit_now()
        self._finalized = True


class ImmediateSqliteClient(PlainRows, SqliteClient):
    checkpoints: WalCheckpoints | None = None  # the log's, when its commits are inline

    @property
    def commits_inline(self) -> bool:
        """A short transaction's COMMIT runs on the event loop's thread: the log is
        checkpointed apart, so a commit only appends to it."""
        return self.checkpoints is not None

    async def create_connection(self, with_db: bool) -> None:
        """Tortoise's, with a connection that a short transaction may also use from the
        event loop's thread (statements never from two threads at once: Tortoise's lock)."""
        if self._connection:
            return
        self._connection = await aiosqlite.connect(
            self.filename, isolation_level=None, check_same_thread=False
        )
        self._connection._conn.row_factory = sqlite3.Row
        for pragma, value in self.pragmas.items():
            cursor = await self._connection.execute(f"PRAGMA {pragma}={value}")
            await cursor.close()
        await self._commit_inline_if_it_cannot_sync(self._connection)
        await self._post_connect()

    async def _commit_inline_if_it_cannot_sync(self, connection: aiosqlite.Connection) -> None:
        """In WAL mode with synchronous NORMAL or OFF, a COMMIT syncs nothing; with the
        automatic checkpoint off it copies nothing either, and may run on the loop's
        thread. Any other journal or `synchronous` keeps every commit on the driver's."""
        ((journal,),) = await connection.execute_fetchall("PRAGMA journal_mode")
        ((synchronous,),) = await connection.execute_fetchall("PRAGMA synchronous")
        if str(journal).lower() != "wal" or int(synchronous) > 1:
            return
        await connection.execute("PRAGMA wal_autocheckpoint = 0")
        self.checkpoints = WalCheckpoints(self.filename, lambda: connection._conn.total_changes)
        self.checkpoints.start()

    async def close(self) -> None:
        if self.checkpoints is not None:
            await self.checkpoints.close()
            self.checkpoints = None
        await super().close()

    def _in_transaction(self) -> TransactionContext:
        return SqliteTransactionContext(ImmediateTransactionWrapper(self), self._lock)

    def short_transaction(self) -> TransactionContext:
        """A transaction of a few statements by key (`domain/short_transactions.py`)."""
        return SqliteTransactionContext(ShortTransactionWrapper(self), self._lock)


client_class = ImmediateSqliteClient
