"""Checkpoints of SQLite's write-ahead log, from a connection of their own.

SQLite's automatic checkpoint runs inside the COMMIT that fills the log past a thousand
pages: that commit copies the log into the database file and syncs it, milliseconds to tens
of milliseconds. `sqlite_backend` turns it off on its connection, so that a short
transaction's COMMIT only appends to the log and can run on the event loop's thread, and
asks this class for the checkpoints instead: a passive one (it never waits for a lock, and
no writer waits for it) on a connection and a thread of its own, at most once a second and
only after something was written.

A passive checkpoint does not let the log start again from its beginning: SQLite rewinds it
only when a writer begins after everything in it was copied, and while writes go on, some
land during each checkpoint. So when the log holds `RESTART_FRAMES` or more, a RESTART
checkpoint follows: it waits for the writer of the moment, holds the next ones off for the
few frames the passive one left (a short transaction then waits on the driver's thread, not
on the event loop's), and the next write starts the log again."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
from collections.abc import Callable

import aiosqlite

log = logging.getLogger("crowdsource.db")

CHECKPOINT_SECONDS = 1.0  # the log holds at most about this long of writes
RESTART_FRAMES = 1000  # pages in the log before it is made to start again (SQLite's own
# automatic checkpoint size)
RESTART_WAIT_SECONDS = 1.0  # a RESTART waits this long at most (writers held off meanwhile),
# then gives up until the next tick


class WalCheckpoints:
    """Checks `changes()` (the writing connection's `total_changes`, read without a
    statement) every `every` seconds, and checkpoints the log of `filename` when it moved."""

    def __init__(
        self, filename: str, changes: Callable[[], int], every: float | None = None
    ) -> None:
        self.filename = filename
        self.changes = changes
        self.every = CHECKPOINT_SECONDS if every is None else every
        self.checkpoints = 0  # run so far
        self._seen = changes()
        self._timer: asyncio.TimerHandle | None = None
        self._running: asyncio.Task[None] | None = None
        self._connection: aiosqlite.Connection | None = None
        self._closed = False

    def start(self) -> None:
        if not self._closed:
            self._timer = asyncio.get_running_loop().call_later(self.every, self._tick)

    def _tick(self) -> None:
        self._timer = None
        changes = self.changes()
        if changes == self._seen:
            self.start()
            return
        self._seen = changes
        self._running = asyncio.get_running_loop().create_task(
            self._checkpoint(), name="crowdsource-wal-checkpoint"
        )

    async def _checkpoint(self) -> None:
        try:
            if self._connection is None:
                self._connection = await aiosqlite.connect(
                    self.filename, isolation_level=None, timeout=RESTART_WAIT_SECONDS
                )
            ((_, frames, _),) = await self._connection.execute_fetchall(
                "PRAGMA wal_checkpoint(PASSIVE)"
            )
            if frames >= RESTART_FRAMES:
                await self._connection.execute_fetchall("PRAGMA wal_checkpoint(RESTART)")
            self.checkpoints += 1
        except sqlite3.Error:  # tried again at the next tick
            log.warning("checkpointing %s failed", self.filename, exc_info=True)
            self._seen = -1
        finally:
            self._running = None
            self.start()

    async def close(self) -> None:
        """No more checkpoints; one in progress is finished (a thread cannot be stopped)."""
        self._closed = True
        if self._timer is not None:
            self._timer.cancel()
        if self._running is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.shield(self._running)
        if self._connection is not None:
            await self._connection.close()
            self._connection = None
