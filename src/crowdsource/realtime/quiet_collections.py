"""Garbage collections of the middle and old generations in quiet moments (the policy is
app.py's `tune_garbage_collector`).

Opening thousands of sockets makes objects that live as long as their socket: they survive
young collections and wait in the middle generation, and the next middle collection walks
them all. With 5,000 to 10,000 sockets that was a pause of 300 to 450 ms, landing in the first
votes after the class had joined (`bench.fanout`'s school and 10,000-viewer stages). Done
once nothing has been published for `QUIET_SECONDS`, the same work keeps nobody waiting;
and a full collection that the collector would start in the middle of a burst is done in
a quiet moment instead."""

from __future__ import annotations

import asyncio
import gc
import logging
import time
from collections.abc import Callable, Hashable

log = logging.getLogger("crowdsource.realtime")

QUIET_SECONDS = 1.0  # nothing published for this long: a pause keeps nobody waiting
CHECK_SECONDS = 0.25
MIDDLE_BACKLOG = 2  # young collections since the last middle one: their survivors wait
OLD_BACKLOG = 5  # middle collections since the last full one (CPython starts one at 10)


def collect_backlog() -> tuple[int, ...]:
    """Collect the generations whose backlog is worth it now; the generations collected."""
    _, middle, old = gc.get_count()
    if old >= OLD_BACKLOG:
        gc.collect(2)
        return (2,)
    if middle >= MIDDLE_BACKLOG:
        gc.collect(1)
        return (1,)
    return ()


async def collect_when_quiet(activity: Callable[[], Hashable]) -> None:
    """Forever: once `activity()` (sockets joined, rounds published) has not changed for
    `QUIET_SECONDS`, collect the backlog."""
    seen, since = activity(), time.monotonic()
    while True:
        await asyncio.sleep(CHECK_SECONDS)
        now = activity()
        if now != seen:
            seen, since = now, time.monotonic()
        elif time.monotonic() - since >= QUIET_SECONDS:
            started = time.perf_counter()
            collected = collect_backlog()
            if collected:
                log.debug(
                    "quiet collection of generation %s: %.1f ms",
                    collected[0],
                    1000 * (time.perf_counter() - started),
                )
