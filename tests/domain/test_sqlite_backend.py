"""SQLite's client (domain/sqlite_backend.py): a read by key runs where it is awaited, on the
event loop's thread, unless it would wait for a lock; any other read goes to the driver's
thread."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from tortoise.connection import get_connection

from crowdsource.domain.db import CONNECTION
from crowdsource.domain.models import Vote
from crowdsource.domain.tally_patch import ballots_of
from tests.helpers.factories import choice_ids, make_poll, make_user, store_vote
from tests.helpers.sqlite_trips import (
    busy_timeout,
    count_trips,
    sqlite_database,
    statements_by_thread,
    waiting_for_another,
)

READ = "select id, question from polls where id in (?, ?) order by id"


@pytest.fixture
async def sqlite_file(tmp_path: Path) -> AsyncIterator[Path]:
    """A SQLite database in WAL mode, the app's."""
    async with sqlite_database(tmp_path / "backend.sqlite3") as path:
        yield path


@pytest.fixture
async def rollback_journal(tmp_path: Path) -> AsyncIterator[Path]:
    """The same in a rollback journal's mode, where a writer's exclusive lock keeps readers
    out (in WAL mode nothing a test can do makes a read wait)."""
    async with sqlite_database(tmp_path / "journal.sqlite3", "?journal_mode=DELETE") as path:
        yield path


async def test_a_read_by_key_runs_on_the_loop_s_thread_and_finds_what_a_trip_finds(
    sqlite_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = await make_poll(question="First?"), await make_poll(question="Second?")
    db = get_connection(CONNECTION)
    waits = await busy_timeout()
    trips = count_trips(monkeypatch)
    ran, raw = statements_by_thread()
    try:
        by_key = await db.execute_rows_by_key(READ, [first.id, second.id])
        assert trips == []
        sent = await db.execute_rows(READ, [first.id, second.id])
    finally:
        raw.set_trace_callback(None)
    assert by_key == sent == [(first.id, "First?"), (second.id, "Second?")]
    assert trips == ["_plain_rows"]  # a read not said to be by key: the driver's thread
    reads = [(sql.split()[0], here) for sql, here in ran if not sql.startswith("PRAGMA")]
    assert reads == [("select", True), ("select", False)]
    assert waits > 0 and await busy_timeout() == waits  # 0 only for the try


async def test_a_read_by_key_that_would_wait_waits_on_the_driver_s_thread(
    rollback_journal: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another process writes and holds the database: the read is not refused and does not
    hold up the loop; it waits its turn on the driver's thread, then finds the new rows."""
    poll = await make_poll(question="Before?")
    db = get_connection(CONNECTION)
    waits = await busy_timeout()
    trips = count_trips(monkeypatch)
    rows = await waiting_for_another(
        rollback_journal,
        "BEGIN EXCLUSIVE",
        ("UPDATE polls SET question = 'After?' WHERE id = ?", (poll.id,)),
        db.execute_rows_by_key(READ, [poll.id, poll.id]),
    )
    assert trips == ["_plain_rows"]
    assert rows == [(poll.id, "After?")]
    assert await busy_timeout() == waits


async def test_a_publish_reads_its_voters_ballots_without_a_trip(
    sqlite_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    poll = await make_poll()
    ada = await make_user("Ada")
    await store_vote(poll, ada, (await choice_ids(poll))[0])
    trips = count_trips(monkeypatch)
    rows = (await ballots_of({poll.id: {ada.id}}))[poll.id]
    assert trips == []
    assert [row[1] for row in rows] == [ada.id]
    assert await Vote.filter(poll_id=poll.id).count() == 1
