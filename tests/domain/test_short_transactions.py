"""Short transactions (a group of ballots): on SQLite their statements run on the event
loop's thread, and only what may wait goes to the driver's; inside an open transaction they
are part of it; on PostgreSQL the reads need none and a lone write commits itself, and what
is written is still written whole."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from contextlib import closing
from pathlib import Path

import pytest
from tortoise.connection import get_connection
from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from crowdsource.domain import clock
from crowdsource.domain.ballots import Ballot, store_ballots
from crowdsource.domain.db import CONNECTION
from crowdsource.domain.kinds import Given
from crowdsource.domain.models import Poll, Vote
from crowdsource.domain.short_transactions import Statement, judged_writes, short_transaction
from tests.helpers.factories import choice_ids, make_poll, make_user
from tests.helpers.sqlite_trips import (
    busy_timeout,
    count_trips,
    sqlite_database,
    statements_by_thread,
    waiting_for_another,
)


class Oops(Exception):
    pass


@pytest.fixture
async def sqlite_file(tmp_path: Path) -> AsyncIterator[Path]:
    """A migrated SQLite database, whatever database the other domain tests run on."""
    async with sqlite_database(tmp_path / "short.sqlite3") as path:
        yield path


def other_connection_counts(path: Path, poll_id: int) -> int:
    """The poll's votes as another process reads them."""
    with closing(sqlite3.connect(path)) as other:
        ((count,),) = other.execute("SELECT count(*) FROM votes WHERE poll_id = ?", (poll_id,))
    return int(count)


async def a_ballot(question: str = "Short?") -> tuple[Ballot, Poll]:
    poll = await make_poll(question=question)
    voter = await make_user()
    first = (await choice_ids(poll))[0]
    return Ballot(poll.id, voter.id, Given((first,)), clock.now(), token_version=0), poll


async def test_a_group_of_ballots_makes_no_trip_to_the_driver_s_thread(
    sqlite_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With no other process writing, it begins, reads, stores and commits where it is
    awaited, on the loop's thread: in WAL mode with synchronous=NORMAL and the automatic
    checkpoint off, COMMIT only appends to the log (the checkpoints have their own
    connection, tests/domain/test_wal_checkpoints.py)."""
    ballot, poll = await a_ballot()
    ran, raw = statements_by_thread()  # each statement, and whether on the loop's thread
    trips = count_trips(monkeypatch)
    try:
        (receipt,) = await store_ballots([ballot])
    finally:
        raw.set_trace_callback(None)
    assert trips == []
    on_loop = [sql.split()[0] for sql, loop in ran if loop and not sql.startswith("PRAGMA")]
    # BEGIN, then the voter's session, the poll, the response, the upsert; COMMIT
    assert on_loop == ["BEGIN", "SELECT", "SELECT", "SELECT", "INSERT", "COMMIT"]
    assert [sql for sql, loop in ran if not loop] == []
    assert not isinstance(receipt, Exception)
    assert await Vote.filter(poll_id=poll.id, voter_id=ballot.voter_id).count() == 1
    assert other_connection_counts(sqlite_file, poll.id) == 1  # committed, not pending


@pytest.mark.parametrize("pragmas", ["?synchronous=FULL", "?journal_mode=DELETE"])
async def test_a_commit_that_could_sync_goes_to_the_driver_s_thread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pragmas: str
) -> None:
    """Named in the database URL, a commit that syncs the file (synchronous=FULL) or copies
    a journal into it (another journal mode) may wait on the disk: it keeps its trip, and the
    statements before it still run on the loop's thread."""
    async with sqlite_database(tmp_path / "syncing.sqlite3", pragmas) as path:
        assert not get_connection(CONNECTION).commits_inline
        ballot, poll = await a_ballot()
        ran, raw = statements_by_thread()
        trips = count_trips(monkeypatch)
        try:
            (receipt,) = await store_ballots([ballot])
        finally:
            raw.set_trace_callback(None)
        assert trips == ["commit"]
        assert [sql.split()[0] for sql, loop in ran if not loop] == ["COMMIT"]
        assert not isinstance(receipt, Exception)
        assert other_connection_counts(path, poll.id) == 1


async def test_a_short_transaction_waits_for_another_process_without_holding_up_the_loop(
    sqlite_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another process holds the write lock: BEGIN waits its turn on the driver's thread
    while the event loop keeps running, and then the ballot is stored. The connection
    waits for locks as long as before (its busy timeout was 0 only for the try)."""
    ballot, poll = await a_ballot()
    waits = await busy_timeout()
    trips = count_trips(monkeypatch)
    (receipt,) = await waiting_for_another(
        sqlite_file,
        "BEGIN IMMEDIATE",
        ("UPDATE polls SET question = 'Renamed' WHERE id = ?", (poll.id,)),
        store_ballots([ballot]),
    )
    assert trips == ["BEGIN"]  # its COMMIT, once it holds the lock, on the loop's thread
    assert not isinstance(receipt, Exception)
    assert waits > 0 and await busy_timeout() == waits
    assert await Vote.filter(poll_id=poll.id).count() == 1
    assert (await Poll.get(id=poll.id)).question == "Renamed"


async def test_a_failed_short_transaction_stores_nothing_and_the_next_one_works(
    sqlite_file: Path,
) -> None:
    ballot, poll = await a_ballot()
    with pytest.raises(Oops):
        async with short_transaction():
            await store_ballots([ballot])
            raise Oops
    assert await Vote.filter(poll_id=poll.id).count() == 0
    (receipt,) = await store_ballots([ballot])
    assert not isinstance(receipt, Exception)
    async with in_transaction():  # a plain transaction after it, on the driver's thread
        assert await Vote.filter(poll_id=poll.id).count() == 1


@pytest.mark.usefixtures("orm")
async def test_inside_an_open_transaction_ballots_are_part_of_it() -> None:
    """On both databases: the outer transaction's rollback takes the ballots with it."""
    ballot, poll = await a_ballot()
    with pytest.raises(Oops):
        async with in_transaction():
            (receipt,) = await store_ballots([ballot])
            assert not isinstance(receipt, Exception)
            assert await Vote.filter(poll_id=poll.id).count() == 1
            raise Oops
    assert await Vote.filter(poll_id=poll.id).count() == 0
    (receipt,) = await store_ballots([ballot])
    assert await Vote.filter(poll_id=poll.id).count() == 1


@pytest.mark.usefixtures("orm")
async def test_judged_writes_store_all_of_their_statements_or_none() -> None:
    """On both databases: a statement that fails after another undoes the first, and the
    judge's outcome is not returned."""
    ballot, poll = await a_ballot()
    (receipt,) = await store_ballots([ballot])  # the ballot stored, to be changed
    assert not isinstance(receipt, Exception)
    second = (await choice_ids(poll))[1]

    async def judge() -> tuple[str, list[Statement]]:
        change = Vote.filter(poll_id=poll.id).update(choice_id=second)
        broken = Vote.filter(poll_id=poll.id).update(choice_id=999_999)  # no such response
        return "judged", [lambda: change, lambda: broken]

    with pytest.raises(IntegrityError):
        await judged_writes(judge)
    vote = await Vote.get(poll_id=poll.id)
    assert vote.choice_id != second  # type: ignore[attr-defined]


@pytest.mark.usefixtures("orm")
async def test_judged_writes_return_the_outcome_once_stored() -> None:
    """On both databases: a judge that writes nothing gets its outcome and stores nothing;
    a lone statement is stored (committed, seen from a transaction of its own)."""
    ballot, poll = await a_ballot()

    async def refuse() -> tuple[str, list[Statement]]:
        return "refused", []

    assert await judged_writes(refuse) == "refused"
    assert await Vote.filter(poll_id=poll.id).count() == 0
    (receipt,) = await store_ballots([ballot])
    assert not isinstance(receipt, Exception)
    async with in_transaction():
        assert await Vote.filter(poll_id=poll.id).count() == 1
