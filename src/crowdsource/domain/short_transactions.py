"""Transactions of a few short statements, each touching rows by key: a group of ballots.

On SQLite their statements run on the event loop's thread instead of one trip each to the
driver's thread (`sqlite_backend.ShortTransactionWrapper`): a vote is stored sooner and for
less CPU. A statement that might scan many rows (deleting a poll of 20,000 votes) does not
belong in one: every socket would wait while it runs. On PostgreSQL, and inside a
transaction already open, it is a plain `in_transaction()`."""

from __future__ import annotations

from tortoise.backends.base.client import TransactionContext
from tortoise.connection import get_connection
from tortoise.transactions import in_transaction

from crowdsource.domain.db import CONNECTION


def short_transaction() -> TransactionContext:
    # Only SQLite's client has one; a transaction in progress (its wrapper) does not.
    short = getattr(get_connection(CONNECTION), "short_transaction", None)
    return short() if short is not None else in_transaction(CONNECTION)
