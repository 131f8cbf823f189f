"""Statements whose SQL is built once give what Tortoise's own give, on SQLite and
PostgreSQL: the next call's values (not the first's) in one statement, inside the caller's
transaction, rows as the driver gives them with booleans and times converted, and a refusal
when Tortoise would have bound other values."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

import pytest
from tortoise.exceptions import OperationalError
from tortoise.models import Model
from tortoise.transactions import in_transaction

from crowdsource.domain import clock
from crowdsource.domain.kept_statements import (
    StatementMismatch,
    latest_where_in,
    models_where_in,
    upsert,
    values_where_in,
)
from crowdsource.domain.models import Answer, Choice, Poll, User, Vote
from tests.helpers.factories import choice_ids, make_poll, make_user, store_answer
from tests.helpers.queries import statements

pytestmark = pytest.mark.usefixtures("orm")


async def test_models_are_those_filter_gives_and_the_next_call_reads_its_own_ids() -> None:
    polls = [await make_poll(question=f"Question {n}") for n in range(4)]
    first = await models_where_in(Poll, "id", [polls[0].id, polls[1].id])
    with statements() as sql:
        second = await models_where_in(Poll, "id", [polls[2].id, polls[3].id])
    assert len(sql) == 1
    assert sorted(p.question for p in first) == ["Question 0", "Question 1"]
    assert sorted(p.question for p in second) == ["Question 2", "Question 3"]
    expected = await Poll.filter(id__in=[polls[2].id, polls[3].id]).order_by("id")
    got = sorted(second, key=lambda p: p.id)
    for mine, theirs in zip(got, expected, strict=True):  # every field, converted alike
        assert {f: getattr(mine, f) for f in Poll._meta.db_fields} == {
            f: getattr(theirs, f) for f in Poll._meta.db_fields
        }


async def test_a_read_by_three_ids_is_the_one_by_four_and_finds_each_row_once() -> None:
    polls = [await make_poll(question=f"Question {n}") for n in range(4)]
    ids = [poll.id for poll in polls]
    with statements() as sql:
        three = await models_where_in(Poll, "id", ids[:3])
        four = await models_where_in(Poll, "id", ids)
    assert sorted(p.id for p in three) == ids[:3]  # the padding repeats an id: found once
    assert sorted(p.id for p in four) == ids
    texts = [line.rsplit(": ", 1)[0] for line in sql]
    assert len(texts) == 2 and texts[0] == texts[1]


async def test_another_column_and_another_count_of_ids_are_statements_of_their_own() -> None:
    poll = await make_poll(choices=("Red", "Green", "Blue"))
    ids = await choice_ids(poll)
    by_poll = await models_where_in(Choice, "poll_id", [poll.id])
    one = await models_where_in(Choice, "id", ids[:1])
    three = await models_where_in(Choice, "id", ids)
    assert sorted(c.label for c in by_poll) == ["Blue", "Green", "Red"]
    assert [c.label for c in one] == ["Red"]
    assert sorted(c.label for c in three) == ["Blue", "Green", "Red"]
    assert await models_where_in(Choice, "id", []) == []


async def test_values_are_those_of_values_list() -> None:
    users = [await make_user(f"Student {n}") for n in range(3)]
    await User.filter(id=users[1].id).update(token_version=7)
    ids = [u.id for u in users]
    rows = await values_where_in(User, ("id", "token_version"), "id", ids)
    assert sorted(rows) == sorted(await User.filter(id__in=ids).values_list("id", "token_version"))
    assert dict(rows)[users[1].id] == 7 and all(type(row) is tuple for row in rows)


async def test_ordered_joined_rows_are_those_of_values_list_booleans_and_times_converted() -> None:
    poll = await make_poll(question="Say it", kind="text", choices=())
    for n in range(3):
        await store_answer(poll, await make_user(f"Voter {n}"), f"answer number {n}")
    await Answer.filter(text="answer number 1").update(hidden=True)
    columns = ("id", "text", "hidden", "voter__login", "cast_at")
    fields = Answer._meta.fields_map
    convert = {2: fields["hidden"].to_python_value, 4: fields["cast_at"].to_python_value}

    rows = await values_where_in(
        Answer, columns, "poll_id", [poll.id], order=("id",), convert=convert
    )

    assert rows == await Answer.filter(poll_id=poll.id).order_by("id").values_list(*columns)
    assert [row[2] for row in rows] == [False, True, False]
    assert all(type(row[2]) is bool and isinstance(row[4], datetime) for row in rows)
    assert all(type(row[0]) is int and type(row[3]) is str for row in rows)


async def test_a_second_in_keeps_only_rows_matching_both_and_reads_the_next_call_s_values() -> None:
    polls = [await make_poll(question=f"Question {n}") for n in range(2)]
    users = [await make_user(f"Student {n}") for n in range(3)]
    for poll in polls:
        first = (await choice_ids(poll))[0]
        for user in users:
            await Vote.create(poll=poll, choice_id=first, voter=user, cast_at=clock.now())
    columns = ("poll_id", "voter_id")

    both = await values_where_in(
        Vote, columns, "poll_id", [polls[0].id], also=("voter_id", [users[0].id, users[2].id])
    )
    with statements() as sql:
        other = await values_where_in(
            Vote, columns, "poll_id", [polls[1].id], also=("voter_id", [users[1].id, users[2].id])
        )

    assert sorted(both) == [(polls[0].id, users[0].id), (polls[0].id, users[2].id)]
    assert sorted(other) == [(polls[1].id, users[1].id), (polls[1].id, users[2].id)]
    assert len(sql) == 1  # the first call's statement, with this call's values
    assert (
        await values_where_in(Vote, columns, "poll_id", [polls[0].id], also=("voter_id", [])) == []
    )


async def test_the_latest_of_each_group_is_the_greatest_value_as_the_driver_stores_it() -> None:
    polls = [await make_poll(question=f"Question {n}") for n in range(3)]
    now = clock.now()
    for n, poll in enumerate(polls[:2]):
        first = (await choice_ids(poll))[0]
        for minutes in (3, 1 + n, 2):
            voter = await make_user(f"Voter {n} {minutes}")
            cast_at = now - timedelta(minutes=minutes)
            await Vote.create(poll=poll, choice_id=first, voter=voter, cast_at=cast_at)
    ids = [poll.id for poll in polls]
    stored = await values_where_in(Vote, ("poll_id", "cast_at"), "poll_id", ids)

    latest = dict(await latest_where_in(Vote, "cast_at", "poll_id", ids))

    assert latest == {
        poll_id: max(at for each, at in stored if each == poll_id) for poll_id in ids[:2]
    }  # a group without rows is absent
    assert type(latest[ids[0]]) is type(stored[0][1])  # SQLite's text, PostgreSQL's time
    as_time = Vote._meta.fields_map["cast_at"].to_python_value
    assert as_time(latest[ids[0]]) == now - timedelta(minutes=1)
    assert as_time(latest[ids[1]]) == now - timedelta(minutes=2)


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


async def test_reads_inside_the_transaction_see_what_it_wrote() -> None:
    await models_where_in(User, "id", [1])  # the statement is kept before the transaction
    async with in_transaction():
        user = await make_user("Written, not committed")
        found = await models_where_in(User, "id", [user.id])
        rows = await values_where_in(User, ("id", "name"), "id", [user.id])
    assert [u.name for u in found] == ["Written, not committed"]
    assert rows == [(user.id, "Written, not committed")]


async def test_values_tortoise_would_convert_are_refused_not_bound_out_of_place() -> None:
    user = await make_user()
    with pytest.raises(StatementMismatch):
        await models_where_in(User, "id", [str(user.id)])  # Tortoise binds the integer


async def test_upsert_adds_rows_and_replaces_the_conflicting_ones_in_one_statement() -> None:
    poll = await make_poll(choices=("Yes", "No"))
    yes, no = await choice_ids(poll)
    ada, bob = await make_user("Ada"), await make_user("Bob")
    now = clock.now()

    def vote(voter: User, choice: int, confidence: str | None = None) -> dict[str, object]:
        return {
            "poll_id": poll.id,
            "voter_id": voter.id,
            "choice_id": choice,
            "cast_at": now,
            "confidence": confidence,
        }

    conflict, columns = ("poll_id", "voter_id"), ("choice_id", "cast_at", "confidence")
    await upsert(Vote, [vote(ada, yes)], conflict, columns)
    with statements() as sql, no_models_made(Vote):
        await upsert(Vote, [vote(ada, no, "sure"), vote(bob, yes)], conflict, columns)
    assert len(sql) == 1
    rows = (
        await Vote.filter(poll_id=poll.id)
        .order_by("voter_id")
        .values_list("voter_id", "choice_id", "confidence", "cast_at")
    )
    assert rows == [(ada.id, no, "sure", now), (bob.id, yes, None, now)]


@contextmanager
def no_models_made(model: type[Model]) -> Iterator[None]:
    """Making a `model` fails while inside."""

    def refused(*_args: object, **_kwargs: object) -> None:
        raise AssertionError(f"a {model.__name__} was made")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(model, "__init__", refused)
        yield


async def test_rows_with_their_own_ids_no_rows_and_rows_short_of_a_column_go_through_tortoise() -> (
    None
):
    poll = await make_poll(choices=("Yes", "No"))
    yes, no = await choice_ids(poll)
    ada, bob = await make_user("Ada"), await make_user("Bob")
    await upsert(Vote, [], ("poll_id", "voter_id"), ("choice_id",))
    given = {"poll_id": poll.id, "voter_id": bob.id, "choice_id": no, "cast_at": clock.now()}
    await upsert(Vote, [given], ("poll_id", "voter_id"), ("choice_id",))  # confidence left out
    assert await Vote.filter(voter_id=bob.id).values_list("choice_id", "confidence") == [(no, None)]
    given = {**given, "id": 4242, "voter_id": ada.id, "choice_id": yes, "confidence": None}
    await upsert(Vote, [given], ("poll_id", "voter_id"), ("choice_id",))
    assert await Vote.filter(id=4242).values_list("voter_id", flat=True) == [ada.id]
