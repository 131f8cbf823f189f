"""Tortoise's SQLite client with transactions that take the write lock when they begin.

A transaction opened with a plain (deferred) `BEGIN` reads first and asks for the write
lock at its first write. When another process has written in between, SQLite cannot let it
upgrade and answers "database is locked" at once, without waiting (its snapshot is stale).
`BEGIN IMMEDIATE` asks for the lock up front, where SQLite's busy timeout applies: a
transaction then waits its turn, so several processes (`serve --workers N`) can share one
SQLite file. Statements outside a transaction already wait."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

from tortoise.backends.base.client import NestedTransactionContext, TransactionContext
from tortoise.backends.sqlite.client import (
    SqliteClient,
    SqliteTransactionContext,
    SqliteTransactionWrapper,
    translate_exceptions,
)
from tortoise.exceptions import TransactionManagementError

Row = tuple[Any, ...]


def _plain_rows(connection: sqlite3.Connection, query: str, values: Sequence[Any]) -> list[Row]:
    """In the driver's thread: the rows as tuples, not the `sqlite3.Row` Tortoise's
    connection makes of each (for access by name: 2 µs a row more, here)."""
    cursor = connection.cursor()
    cursor.row_factory = None
    try:
        return cursor.execute(query, values).fetchall()
    finally:
        cursor.close()


class PlainRows:
    """`execute_rows`, what `domain/kept_statements.py` asks a SQLite client for: one trip to the
    driver's thread, logged as Tortoise logs each statement."""

    @translate_exceptions
    async def execute_rows(self, query: str, values: Sequence[Any]) -> list[Row]:
        async with self.acquire_connection() as connection:  # type: ignore[attr-defined]
            self.log.debug("%s: %s", query, values)  # type: ignore[attr-defined]
            return await connection._execute(_plain_rows, connection._conn, query, values)


class ImmediateTransactionWrapper(PlainRows, SqliteTransactionWrapper):
    async def begin(self) -> None:
        try:
            # Tortoise commits first, in case the driver left a transaction open. Ours runs
            # in autocommit (isolation_level=None): that commit was a no-op, but one more
            # trip to SQLite's thread in every vote's path. Asked here, without a trip.
            if self._connection.in_transaction:
                await self._connection.commit()
            await self._connection.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:
            raise TransactionManagementError(error) from error

    def _in_transaction(self) -> TransactionContext:
        return NestedTransactionContext(ImmediateTransactionWrapper(self))


class ImmediateSqliteClient(PlainRows, SqliteClient):
    def _in_transaction(self) -> TransactionContext:
        return SqliteTransactionContext(ImmediateTransactionWrapper(self), self._lock)


client_class = ImmediateSqliteClient
