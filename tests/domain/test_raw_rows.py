"""A hot read's rows taken as the driver gives them are the rows Tortoise's `values_list`
gives, on SQLite and PostgreSQL, with the converted columns (a boolean, a time) converted."""

from __future__ import annotations

from datetime import datetime

import pytest
from tortoise.exceptions import OperationalError
from tortoise.transactions import in_transaction

from crowdsource.domain.models import Answer, User
from crowdsource.domain.raw_rows import rows_of
from tests.helpers.factories import make_poll, make_user, store_answer
from tests.helpers.queries import statements

pytestmark = pytest.mark.usefixtures("orm")

COLUMNS = ("id", "text", "hidden", "voter__login", "cast_at")


async def test_rows_are_those_of_values_list_with_booleans_and_times_converted() -> None:
    poll = await make_poll(question="Say it", kind="text", choices=())
    for n in range(3):
        await store_answer(poll, await make_user(f"Voter {n}"), f"answer number {n}")
    await Answer.filter(text="answer number 1").update(hidden=True)
    query = Answer.filter(poll_id=poll.id).order_by("id")
    fields = Answer._meta.fields_map
    convert = {2: fields["hidden"].to_python_value, 4: fields["cast_at"].to_python_value}

    rows = await rows_of(query.values_list(*COLUMNS), convert)

    assert rows == await query.values_list(*COLUMNS)
    assert [row[2] for row in rows] == [False, True, False]
    assert all(type(row[2]) is bool and isinstance(row[4], datetime) for row in rows)
    assert all(type(row[0]) is int and type(row[3]) is str for row in rows)


async def test_inside_a_transaction_it_reads_what_the_transaction_wrote() -> None:
    async with in_transaction():
        await make_user("Written, not committed")
        rows = await rows_of(User.filter(name="Written, not committed").values_list("name"))
    assert rows == [("Written, not committed",)]


async def test_sqlite_gives_plain_tuples_in_one_logged_statement_and_tortoise_s_errors(
    database_url: str,
) -> None:
    client = User._meta.db
    if not database_url.startswith("sqlite"):  # asyncpg's records: through execute_query
        assert not hasattr(client, "execute_rows")
        return
    await make_user("Plain")
    with statements() as sql:
        rows = await client.execute_rows('SELECT "name" FROM "users" WHERE "name" = ?', ["Plain"])
    assert rows == [("Plain",)] and type(rows[0]) is tuple
    assert len(sql) == 1 and "Plain" in sql[0]  # counted like every other statement
    with pytest.raises(OperationalError):
        await client.execute_rows('SELECT 1 FROM "no_such_table"', [])
