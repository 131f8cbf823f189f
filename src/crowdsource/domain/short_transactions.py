"""Transactions of a few short statements, each touching rows by key: a group of ballots.

On SQLite their statements run on the event loop's thread instead of one trip each to the
driver's thread (`sqlite_backend.ShortTransactionWrapper`): a vote is stored sooner and for
less CPU. A statement that might scan many rows (deleting a poll of 20,000 votes) does not
belong in one: every socket would wait while it runs.

On PostgreSQL every statement is a trip, `BEGIN` and `COMMIT` included, and at READ
COMMITTED (PostgreSQL's default, which Crowdsource keeps) each statement sees what is
committed when it starts, in a transaction or not: reads gain nothing from one. So
`judged_writes` reads without a transaction, and a lone write commits itself."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import TypeVar

from tortoise.backends.base.client import TransactionContext
from tortoise.connection import get_connection
from tortoise.transactions import in_transaction

from crowdsource.domain.db import CONNECTION

T = TypeVar("T")
Statement = Callable[[], Awaitable[object]]  # one statement that writes, not yet sent
Judge = Callable[[], Awaitable[tuple[T, Sequence[Statement]]]]


def short_transaction() -> TransactionContext:
    # Only SQLite's client has one; a transaction in progress (its wrapper) does not.
    short = getattr(get_connection(CONNECTION), "short_transaction", None)
    return short() if short is not None else in_transaction(CONNECTION)


async def judged_writes(judge: Judge[T]) -> T:
    """Run `judge` (its reads, and what it decided: an outcome, the statements that store
    it), then those statements, all or none of them.

    SQLite: all in one short transaction. PostgreSQL: the reads without one; a lone
    statement commits itself (however many rows: `postgres_backend`), several share a
    transaction (ballots of one kind: three trips instead of five). A transaction already
    open holds everything, on both."""
    if get_connection(CONNECTION).capabilities.dialect != "postgres":
        async with short_transaction():
            outcome, statements = await judge()
            await _send(statements)
        return outcome
    outcome, statements = await judge()
    if len(statements) > 1:
        async with in_transaction(CONNECTION):
            await _send(statements)
    else:
        await _send(statements)
    return outcome


async def _send(statements: Sequence[Statement]) -> None:
    for statement in statements:
        await statement()
