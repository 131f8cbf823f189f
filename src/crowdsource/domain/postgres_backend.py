"""Tortoise's asyncpg client, with one statement for many rows outside a transaction.

Tortoise wraps `execute_many` (a `bulk_create`, the ballots' upserts) in `BEGIN` and
`COMMIT` of its own when no transaction is open: two more trips to the database. asyncpg's
`executemany` sends every row's statement with one `Sync` at the end, which PostgreSQL runs
as one implicit transaction: all rows or none (asyncpg 0.22 and later). So outside a
transaction the rows go as they are, in one trip; inside one, Tortoise's transaction
client runs them in it as before. A group of ballots, read without a transaction
(`short_transactions.judged_writes`), so stores any number of votes in one trip."""

from __future__ import annotations

from typing import Any

from tortoise.backends.asyncpg.client import AsyncpgDBClient
from tortoise.backends.base_postgres.client import translate_exceptions


class AtomicManyClient(AsyncpgDBClient):
    @translate_exceptions
    async def execute_many(self, query: str, values: list[Any]) -> None:
        async with self.acquire_connection() as connection:
            self.log.debug("%s: %s", query, values)
            await connection.executemany(query, values)


client_class = AtomicManyClient
