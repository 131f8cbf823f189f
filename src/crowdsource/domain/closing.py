"""Scheduled closes: one asyncio timer per open poll with an end time, armed from the database.

The timer only makes the close *visible* (it writes `closed_at` and announces the change so
every open page flips). Votes never depend on it: the vote path checks the end time itself.
Every process runs one scheduler; the database decides which of them closes a poll
(`poll_store.close_if_due` is a conditional update) and only that one announces it, through
the announcer the commands use. The commands (domain/polls.py) arm and forget the timers."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from datetime import datetime
from types import TracebackType
from typing import Any

from crowdsource.domain import clock
from crowdsource.domain.announcer import Announcer, announce
from crowdsource.domain.models import Poll
from crowdsource.domain.poll_queries import overdue_poll_ids, scheduled_polls
from crowdsource.domain.poll_store import close_if_due
from crowdsource.domain.visibility import is_open

log = logging.getLogger("crowdsource.closing")

MAX_SLEEP_SECONDS = 300.0  # wake up at least this often, so a stepped wall clock is caught
RETRY_SECONDS = 5.0  # after a database error, try the close again this much later
SWEEP_SECONDS = 15.0  # how often end times set by other processes are picked up


class CloseScheduler:
    """Arms a timer per poll; `announcer` hears of each poll closed by time."""

    def __init__(
        self,
        announcer: Announcer,
        now: Callable[[], datetime] = clock.now,
        sweep_seconds: float = SWEEP_SECONDS,
    ) -> None:
        self._announcer = announcer
        self._now = now
        self._sweep_seconds = sweep_seconds
        self._timers: dict[int, asyncio.TimerHandle] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._running = False

    @property
    def armed(self) -> frozenset[int]:
        """Ids of the polls with a timer set."""
        return frozenset(self._timers)

    async def start(self) -> None:
        """Close what ended while the server was down, then arm every upcoming end time;
        keep sweeping, so end times set by other processes are armed here too (a process
        that dies takes its timers along, the others still close its polls)."""
        self._running = True
        await self.sweep()
        self._spawn(self._sweep_forever())

    async def sweep(self) -> None:
        for poll_id in await overdue_poll_ids(self._now()):
            await self._close(poll_id)
        for poll in await scheduled_polls(self._now()):
            if poll.id not in self._timers:
                self.arm(poll)

    async def _sweep_forever(self) -> None:
        while self._running:
            await asyncio.sleep(self._sweep_seconds)
            try:
                await self.sweep()
            except Exception:  # the database may be away for a moment: sweep again later
                log.exception("sweeping scheduled closes failed")

    def _spawn(self, coroutine: Coroutine[Any, Any, None]) -> None:
        task = asyncio.get_running_loop().create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def stop(self) -> None:
        self._running = False
        for handle in self._timers.values():
            handle.cancel()
        self._timers.clear()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    async def __aenter__(self) -> CloseScheduler:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.stop()

    def arm(self, poll: Poll) -> None:
        """(Re)set the timer of `poll` from its end fields: call after create, reopen, extend,
        close. A poll that is closed or has no end time gets no timer."""
        self.forget(poll.id)
        if not self._running or poll.closes_at is None or poll.closed_at is not None:
            return
        self._set_timer(poll.id, poll.closes_at)

    def forget(self, poll_id: int) -> None:
        """Drop the timer of a poll (deleted, or about to be re-armed)."""
        handle = self._timers.pop(poll_id, None)
        if handle is not None:
            handle.cancel()

    def _set_timer(self, poll_id: int, closes_at: datetime, delay: float | None = None) -> None:
        if delay is None:
            delay = min(MAX_SLEEP_SECONDS, (closes_at - self._now()).total_seconds())
        loop = asyncio.get_running_loop()
        self._timers[poll_id] = loop.call_later(max(0.0, delay), self._fire, poll_id, closes_at)

    def _fire(self, poll_id: int, closes_at: datetime) -> None:
        self._timers.pop(poll_id, None)
        if self._now() < closes_at:  # woke early (long sleep, or the timer ran ahead)
            self._set_timer(poll_id, closes_at)
            return
        self._spawn(self._close(poll_id))

    async def _close(self, poll_id: int) -> None:
        """Close if due and announce it; if the end time moved meanwhile, follow it."""
        try:
            closed = await close_if_due(poll_id, self._now())
            current = None if closed else await Poll.get_or_none(id=poll_id)
        except Exception:  # a database hiccup must not lose the close: try again soon
            log.exception("scheduled close of poll %s failed; retrying", poll_id)
            if self._running:
                self._set_timer(poll_id, self._now(), delay=RETRY_SECONDS)
            return
        if closed:
            await announce(self._announcer, poll_id)
        elif current is not None and poll_id not in self._timers and is_open(current, self._now()):
            self.arm(current)
