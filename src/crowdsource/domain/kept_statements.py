"""Statements on the vote and publish paths whose SQL Tortoise builds once per database
and shape.

Building a statement through Tortoise (its filters resolved, pypika's query copied at each
step, then rendered as text) costs 0.15 to 0.4 ms of CPU, more than SQLite takes to run it,
and storing one vote built five (`python -m bench.vote_cost`). A kept statement asks
Tortoise for its SQL the first time it runs on a dialect in a given shape (which columns;
how many values, rounded up to a power of two, and of which types), keeps the text, and
runs it again with the next call's values, inside the caller's transaction if there is
one. When a read's SQL is built, the values Tortoise bound are checked against the ones the
kept statement passes for the same call, so a statement whose values would not line up is
refused at once, never run with them in the wrong places."""

from __future__ import annotations

from collections.abc import Callable, Collection, Hashable, Mapping, Sequence
from typing import Any, TypeVar

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.functions import Max
from tortoise.models import Model
from tortoise.queryset import BulkCreateQuery, QuerySet, ValuesListQuery

M = TypeVar("M", bound=Model)
Row = tuple[Any, ...]
Convert = Mapping[int, Callable[[Any], Any]]  # column index -> the field's to_python_value
Key = tuple[Hashable, ...]

_reads: dict[Key, str] = {}
_upserts: dict[Key, tuple[str, tuple[str, ...]]] = {}


class StatementMismatch(RuntimeError):
    """Tortoise bound other values than the ones a kept statement would pass."""


def _db(model: type[Model]) -> BaseDBAsyncClient:
    """The model's connection now: the current transaction's when there is one."""
    return model._meta.db


def _padded(values: Collection[Any]) -> list[Any]:
    """The values, the last repeated up to a power of two: `IN (a, b, b, b)` finds what
    `IN (a, b)` does, and a read by up to 500 ids (a burst's ballots, a round's polls) needs
    ten statements, not five hundred."""
    padded = list(values)
    if padded:
        padded += [padded[-1]] * ((1 << (len(padded) - 1).bit_length()) - len(padded))
    return padded


def _shape(values: list[Any]) -> Key:
    """What a read's SQL and its check depend on: how many values, and of which types (a
    value Tortoise would convert is checked when its own statement is built)."""
    return (len(values), frozenset(map(type, values)))


def _read_sql(
    key: Key, values: list[Any], build: Callable[[], QuerySet[Any] | ValuesListQuery[Any]]
) -> str:
    sql = _reads.get(key)
    if sql is None:
        query = build()
        query._choose_db_if_not_chosen()
        query._make_query()
        sql, bound = query.query.get_parameterized_sql()
        if list(bound) != values:
            raise StatementMismatch(f"{key}: Tortoise bound {bound!r}, not {values!r}")
        _reads[key] = sql
    return sql


async def models_where_in(
    model: type[M], column: str, values: Collection[Any], *, order: tuple[str, ...] = ()
) -> list[M]:
    """`model.filter(<column>__in=values).order_by(*order)`: the rows as Tortoise makes them."""
    wanted = _padded(values)
    if not wanted:
        return []
    db = _db(model)
    key = (model.__name__, column, order, db.capabilities.dialect, *_shape(wanted))
    sql = _read_sql(key, wanted, lambda: model.filter(**{f"{column}__in": wanted}).order_by(*order))
    _, rows = await db.execute_query(sql, wanted)
    return [model._init_from_db(**row) for row in rows]


async def values_where_in(
    model: type[Model],
    fields: tuple[str, ...],
    column: str,
    values: Collection[Any],
    *,
    order: tuple[str, ...] = (),
    convert: Convert | None = None,
    also: tuple[str, Collection[Any]] | None = None,
    by_key: bool = False,
) -> list[Row]:
    """`model.filter(<column>__in=values).order_by(*order).values_list(*fields)`, its rows
    as the driver gives them: Tortoise's `values_list` passes every value of every row
    through its field's converter, by column name (4 to 8 µs a row: half of re-reading a
    poll of 1,000 votes, `python -m bench.publish_cost`). Integers and text come back as
    Python's from both drivers (SQLite's rows as plain tuples, `sqlite_backend.PlainRows`);
    only the columns in `convert` (a boolean, which SQLite stores as 0 or 1; a time, which it
    stores as text) go through their field's converter. `also` = (column, values): a second
    `IN`, both must hold (a poll's ballots of some voters). `by_key`: a read of rows by an
    index, as short as a vote's, which SQLite may run on the event loop's thread
    (`sqlite_backend.PlainRows`)."""
    wanted = _padded(values)
    more = _padded(also[1]) if also is not None else []
    if not wanted or (also is not None and not more):
        return []
    filters = {f"{column}__in": wanted}
    shape = _shape(wanted)
    if also is not None:
        filters[f"{also[0]}__in"] = more
        shape = (*shape, also[0], *_shape(more))
    bound = wanted + more
    db = _db(model)
    key = (model.__name__, fields, column, order, db.capabilities.dialect, *shape)
    sql = _read_sql(
        key, bound, lambda: model.filter(**filters).order_by(*order).values_list(*fields)
    )
    rows = await _rows(db, sql, bound, by_key=by_key)
    if not convert:
        return rows
    return [
        tuple(convert[n](value) if n in convert else value for n, value in enumerate(row))
        for row in rows
    ]


async def latest_where_in(
    model: type[Model], field: str, column: str, values: Collection[Any]
) -> list[Row]:
    """(`column`, the greatest `field`) of the rows of each of `values` that has any, as the
    driver gives them (SQLite's times as the text it stores and orders, not converted)."""
    wanted = _padded(values)
    if not wanted:
        return []
    db = _db(model)
    key = (model.__name__, "latest", field, column, db.capabilities.dialect, *_shape(wanted))
    sql = _read_sql(
        key,
        wanted,
        lambda: (
            model.filter(**{f"{column}__in": wanted})
            .annotate(latest=Max(field))
            .group_by(column)
            .values_list(column, "latest")
        ),
    )
    # Tortoise selects the annotation under its own name too: (column, latest, latest)
    return [(row[0], row[-1]) for row in await _rows(db, sql, wanted)]


async def _rows(
    db: BaseDBAsyncClient, sql: str, values: list[Any], *, by_key: bool = False
) -> list[Row]:
    # SQLite's (domain/sqlite_backend.py)
    plain = getattr(db, "execute_rows_by_key" if by_key else "execute_rows", None)
    if plain is not None:
        return list(await plain(sql, values))
    _, found = await db.execute_query(sql, values)
    return [tuple(row) for row in found]


async def upsert(
    model: type[M],
    rows: Sequence[Mapping[str, Any]],
    conflict: tuple[str, ...],
    update: tuple[str, ...],
) -> None:
    """`bulk_create([model(**row) for row in rows], on_conflict=conflict,
    update_fields=update)` in one `executemany`, without making the models: each row gives
    every column's value by field name (no primary key), converted as Tortoise would. A
    model costs 16 µs to make, a third of what a burst's ballot costs to store
    (`bench.vote_cost`). A row with its own primary key, a column left to its default or
    a default of the database's go through Tortoise's own."""
    if not rows:
        return
    fields = model._meta.fields_map

    def tortoise_s() -> BulkCreateQuery[M]:
        objects = [model(**row) for row in rows]
        return model.bulk_create(objects, on_conflict=conflict, update_fields=update)

    db = _db(model)
    key = (model.__name__, conflict, update, db.capabilities.dialect)
    kept = _upserts.get(key)
    if kept is None:
        executor = db.executor_class(model=model, db=db)
        columns = tuple(executor.regular_columns)
        if any(_set_by_tortoise(fields[name]) for name in columns):  # its SQL varies by row
            await tortoise_s()
            return
        query = tortoise_s()
        query._executor = executor
        sql, _ = query._make_queries(set())
        kept = _upserts[key] = (sql, columns)
    sql, columns = kept
    names = set(columns)
    if any(row.keys() != names for row in rows):
        await tortoise_s()
        return
    converted = [[fields[name].to_db_value(row[name], model) for name in columns] for row in rows]
    await db.execute_many(sql, converted)


def _set_by_tortoise(field: Any) -> bool:
    """A column whose value the database or the model sets, not the row."""
    auto = getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    return bool(auto or field.has_db_default())
