"""The write-ahead log's checkpoints (domain/wal_checkpoints.py): with the app's connection's
automatic checkpoint off, the log is copied into the database file from a connection of its
own, soon after a write and never without one; closing the client stops them."""

from __future__ import annotations

import asyncio
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from tortoise.connection import get_connection

from crowdsource.domain import wal_checkpoints
from crowdsource.domain.db import CONNECTION
from crowdsource.domain.wal_checkpoints import WalCheckpoints
from tests.helpers.factories import make_poll
from tests.helpers.sqlite_trips import sqlite_database
from tests.helpers.waiting import wait_until

TICK = 0.05
RESTART_AT = 100  # frames
WRITES = 600  # polls, each a transaction of a few pages


def file_size(path: Path) -> int:
    return path.stat().st_size


async def test_a_write_is_checkpointed_into_the_file_soon_after(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(wal_checkpoints, "CHECKPOINT_SECONDS", TICK)
    async with sqlite_database(tmp_path / "wal.sqlite3") as path:
        db = get_connection(CONNECTION)
        _, ((auto,),) = await db.execute_query("PRAGMA wal_autocheckpoint")
        assert db.commits_inline
        assert auto == 0  # no commit of this connection copies the log
        await asyncio.sleep(TICK * 3)  # what migrating wrote, checkpointed
        size = file_size(path)
        done = db.checkpoints.checkpoints
        for n in range(40):  # pages of new rows, in the log until a checkpoint
            await make_poll(question=f"Question {n} " + "x" * 250)
        # The file (not its log) grows as a checkpoint of ours copies the new pages.
        await wait_until(
            lambda: file_size(path) > size and db.checkpoints.checkpoints > done,
            what="a checkpoint into the file",
        )
    assert db.checkpoints is None and not db.commits_inline  # closed with the client


async def test_nothing_written_nothing_checkpointed(tmp_path: Path) -> None:
    path = tmp_path / "quiet.sqlite3"
    async with sqlite_database(path):
        changes = [0]
        quiet = WalCheckpoints(str(path), lambda: changes[0], every=TICK)
        quiet.start()
        await asyncio.sleep(TICK * 4)
        assert quiet.checkpoints == 0
        changes[0] = 1  # a write
        await wait_until(lambda: quiet.checkpoints > 0, what="a checkpoint after a write")
        await asyncio.sleep(TICK * 3)
        assert quiet.checkpoints == 1  # once for one write, not at every tick
        await quiet.close()
        changes[0] = 2
        await asyncio.sleep(TICK * 3)
        assert quiet.checkpoints == 1  # closed: no more


async def test_the_log_starts_again_while_writes_go_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Writes that never pause: some land during each passive checkpoint, so the log would
    never start again from its beginning and would grow with every write; past
    RESTART_FRAMES it is made to."""
    monkeypatch.setattr(wal_checkpoints, "CHECKPOINT_SECONDS", TICK)
    monkeypatch.setattr(wal_checkpoints, "RESTART_FRAMES", RESTART_AT)
    async with sqlite_database(tmp_path / "busy.sqlite3") as path:
        db = get_connection(CONNECTION)
        for n in range(WRITES):
            await make_poll(question=f"Question {n}")
            if n % 10 == 0:
                await asyncio.sleep(0)  # a turn for the checkpoints' answers
        assert db.checkpoints.checkpoints > 0
        frames = frames_in_the_log(path)
    assert frames < 1_000  # without the restart every page written stays: 5,600


def frames_in_the_log(path: Path) -> int:
    """The log's length in pages as another connection finds it (a passive checkpoint
    copies what is left, and tells)."""
    with closing(sqlite3.connect(path)) as other:
        ((_, frames, _),) = other.execute("PRAGMA wal_checkpoint(PASSIVE)")
    return int(frames)
