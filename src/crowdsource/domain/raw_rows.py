"""A hot read's rows without Tortoise's work per value.

Tortoise's `values_list` passes every value of every row through its field's converter, by
column name: 4 to 8 µs a row, which was half of re-reading a poll of 1,000 votes on each
publish (`python -m bench.publish_cost`). `rows_of` lets Tortoise build the query's SQL, for
the connected database's dialect (SQLite or PostgreSQL) and inside the caller's transaction
if there is one, then takes the rows as the driver gives them (SQLite's as plain tuples:
`sqlite_backend.PlainRows`). Integers and text come back as Python's from both drivers; only
the columns named in `convert` (a boolean, which SQLite stores as 0 or 1; a time, which it
stores as text) go through their field's converter."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from tortoise.queryset import ValuesListQuery

Row = tuple[Any, ...]
Convert = Mapping[int, Callable[[Any], Any]]  # column index -> the field's to_python_value


async def rows_of(query: ValuesListQuery[Any], convert: Convert | None = None) -> list[Row]:
    """`query`'s rows as tuples in its columns' order; the columns in `convert` converted."""
    # What awaiting the query does before its `_execute`: the connection (the transaction's,
    # when in one), then the statement.
    query._choose_db_if_not_chosen()
    query._make_query()
    statement = query.query.get_parameterized_sql()
    plain = getattr(query._db, "execute_rows", None)  # SQLite's (domain/sqlite_backend.py)
    if plain is not None:
        rows = await plain(*statement)
    else:
        _, found = await query._db.execute_query(*statement)
        rows = [tuple(row) for row in found]
    if not convert:
        return rows
    return [
        tuple(convert[n](value) if n in convert else value for n, value in enumerate(row))
        for row in rows
    ]
