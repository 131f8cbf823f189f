"""The write-ahead log's checkpoints (domain/wal_checkpoints.py): with the app's connection's
automatic checkpoint off, the log is copied into the database file from a connection of its
own, soon after a write and never without one; closing the client stops them."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from tortoise.connection import get_connection

from crowdsource.domain import wal_checkpoints
from crowdsource.domain.db import CONNECTION
from crowdsource.domain.wal_checkpoints import WalCheckpoints
from tests.helpers.factories import make_poll
from tests.helpers.sqlite_trips import sqlite_database

TICK = 0.05


def file_size(path: Path) -> int:
    return path.stat().st_size


async def written_into_the_file(path: Path, before: int) -> None:
    """Until the database file (not its log) has grown past `before` bytes."""
    for _ in range(100):
        if file_size(path) > before:
            return
        await asyncio.sleep(TICK)
    raise AssertionError(f"{path.name} was not checkpointed")


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
        await written_into_the_file(path, size)
        assert db.checkpoints.checkpoints > done
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
        for _ in range(100):
            if quiet.checkpoints:
                break
            await asyncio.sleep(TICK)
        await asyncio.sleep(TICK * 3)
        assert quiet.checkpoints == 1  # once for one write, not at every tick
        await quiet.close()
        changes[0] = 2
        await asyncio.sleep(TICK * 3)
        assert quiet.checkpoints == 1  # closed: no more
