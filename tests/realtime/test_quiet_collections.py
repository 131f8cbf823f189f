"""The older generations are collected in quiet moments, not in the middle of a vote."""

from __future__ import annotations

import asyncio
import gc
import itertools

import pytest

from crowdsource.realtime import quiet_collections
from crowdsource.realtime.quiet_collections import collect_backlog, collect_when_quiet
from tests.helpers.waiting import wait_until


def test_the_backlog_of_the_middle_generation_is_collected() -> None:
    gc.collect()
    assert collect_backlog() == ()  # nothing waits
    gc.collect(0)
    gc.collect(0)  # two young collections: their survivors wait in the middle generation
    assert collect_backlog() == (1,)
    assert gc.get_count()[1] == 0


def test_a_full_collection_is_done_before_the_collector_would_start_one() -> None:
    gc.collect()
    for _ in range(quiet_collections.OLD_BACKLOG):
        gc.collect(1)
    assert collect_backlog() == (2,)
    assert gc.get_count()[2] == 0


async def test_it_waits_for_a_quiet_moment(monkeypatch: pytest.MonkeyPatch) -> None:
    """While sockets join or rounds publish, nothing is collected; once quiet, it is. A
    collection comes only after `QUIET_SECONDS` without a change, as the loop saw them: a
    machine that stalls the test's loop that long has made a quiet moment of its own."""
    monkeypatch.setattr(quiet_collections, "CHECK_SECONDS", 0.01)
    monkeypatch.setattr(quiet_collections, "QUIET_SECONDS", 0.5)
    loop = asyncio.get_running_loop()
    collected: list[float] = []
    monkeypatch.setattr(
        quiet_collections, "collect_backlog", lambda: collected.append(loop.time()) or (1,)
    )
    activity, changes = [0], []
    task = asyncio.create_task(collect_when_quiet(lambda: activity[0]))
    try:
        for _ in range(80):  # busy for 0.8 s, longer than quiet: a change every 10 ms
            activity[0] += 1
            changes.append(loop.time())
            await asyncio.sleep(0.01)
        stalled = max(b - a for a, b in itertools.pairwise(changes)) >= 0.49
        assert stalled or collected == []
        await wait_until(lambda: collected, what="a collection once quiet")
        for moment in collected:  # each at least half a second after the change before it
            assert moment - max(t for t in changes if t <= moment) >= 0.49
        assert collected[-1] >= changes[-1] + 0.49
    finally:
        task.cancel()
