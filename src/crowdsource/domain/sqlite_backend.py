"""Tortoise's SQLite client with transactions that take the write lock when they begin.

A transaction opened with a plain (deferred) `BEGIN` reads first and asks for the write
lock at its first write. When another process has written in between, SQLite cannot let it
upgrade and answers "database is locked" at once, without waiting (its snapshot is stale).
`BEGIN IMMEDIATE` asks for the lock up front, where SQLite's busy timeout applies: a
transaction then waits its turn, so several processes (`serve --workers N`) can share one
SQLite file. Statements outside a transaction already wait."""

from __future__ import annotations

import sqlite3

from tortoise.backends.base.client import NestedTransactionContext, TransactionContext
from tortoise.backends.sqlite.client import (
    SqliteClient,
    SqliteTransactionContext,
    SqliteTransactionWrapper,
)
from tortoise.exceptions import TransactionManagementError


class ImmediateTransactionWrapper(SqliteTransactionWrapper):
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


class ImmediateSqliteClient(SqliteClient):
    def _in_transaction(self) -> TransactionContext:
        return SqliteTransactionContext(ImmediateTransactionWrapper(self), self._lock)


client_class = ImmediateSqliteClient
