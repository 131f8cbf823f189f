"""Counting the SQL statements a piece of code sends (Tortoise logs each at DEBUG)."""

from __future__ import annotations

import ast
import logging
from collections.abc import Iterator
from contextlib import contextmanager

from tortoise import connections
from tortoise.transactions import in_transaction

DB_CLIENT_LOG = logging.getLogger("tortoise.db_client")


class _Statements(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.sql: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.sql.append(record.getMessage())


@contextmanager
def statements() -> Iterator[list[str]]:
    """Every statement sent inside the block, in order (with its values)."""
    handler, level = _Statements(), DB_CLIENT_LOG.level
    DB_CLIENT_LOG.addHandler(handler)
    DB_CLIENT_LOG.setLevel(logging.DEBUG)
    try:
        yield handler.sql
    finally:
        DB_CLIENT_LOG.removeHandler(handler)
        DB_CLIENT_LOG.setLevel(level)


async def query_plan(statement: str, *, as_chosen: bool = False) -> str:
    """How the database would run a statement as `statements()` logged it ("SQL: [values]"),
    as text: SQLite's query plan, or PostgreSQL's. On PostgreSQL, sequential scans are ruled
    out wherever an index can serve (a test's tables are too small for the planner to pick
    one), unless `as_chosen`: then the tables are analysed and the planner left to choose."""
    sql, _, values = statement.rpartition(": ")
    params = ast.literal_eval(values)
    connection = connections.get("default")
    if connection.capabilities.dialect == "sqlite":
        rows = await connection.execute_query_dict(f"EXPLAIN QUERY PLAN {sql}", params)
        return "\n".join(str(row["detail"]) for row in rows)
    async with in_transaction() as transaction:
        if as_chosen:
            await transaction.execute_script("ANALYZE")
        else:
            await transaction.execute_script("SET LOCAL enable_seqscan = off")
        rows = await transaction.execute_query_dict(f"EXPLAIN {sql}", params)
    return "\n".join(str(row["QUERY PLAN"]) for row in rows)
