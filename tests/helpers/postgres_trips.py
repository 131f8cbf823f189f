"""Counting the statements a test sends to PostgreSQL (each one a trip to the server)."""

from __future__ import annotations

from typing import Any

import asyncpg.connection
import pytest


def count_statements(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """From now on, each statement any asyncpg connection sends is noted by its first word
    (`BEGIN;`, `SELECT`, `select`, `INSERT`, `COMMIT;`): prepared ones with their values,
    and the plain ones a transaction sends."""
    sent: list[str] = []
    connection = asyncpg.connection.Connection
    prepared, plain, many = connection._execute, connection.execute, connection._executemany

    async def noted_prepared(self: Any, query: str, *args: Any, **kwargs: Any) -> Any:
        sent.append(query.split()[0])
        return await prepared(self, query, *args, **kwargs)

    async def noted_plain(self: Any, query: str, *args: Any, **kwargs: Any) -> Any:
        if not args:  # with values it goes through _execute, noted there
            sent.append(query.split()[0])
        return await plain(self, query, *args, **kwargs)

    async def noted_many(self: Any, query: str, *args: Any, **kwargs: Any) -> Any:
        sent.append(query.split()[0])
        return await many(self, query, *args, **kwargs)

    monkeypatch.setattr(connection, "_execute", noted_prepared)
    monkeypatch.setattr(connection, "execute", noted_plain)
    monkeypatch.setattr(connection, "_executemany", noted_many)
    return sent
