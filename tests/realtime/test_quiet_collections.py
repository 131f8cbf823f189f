"""The older generations are collected in quiet moments, not in the middle of a vote."""

from __future__ import annotations

import asyncio
import gc

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
    """While sockets join or rounds publish, nothing is collected; once quiet, it is."""
    monkeypatch.setattr(quiet_collections, "CHECK_SECONDS", 0.01)
    # Quiet means half a second without a change: a busy CI machine stalling the loop for a
    # tenth of a second must not pass for a quiet moment while it is busy.
    monkeypatch.setattr(quiet_collections, "QUIET_SECONDS", 0.5)
    collected: list[float] = []
    monkeypatch.setattr(
        quiet_collections,
        "collect_backlog",
        lambda: collected.append(asyncio.get_running_loop().time()) or (1,),
    )
    activity = [0]
    task = asyncio.create_task(collect_when_quiet(lambda: activity[0]))
    try:
        for _ in range(80):  # busy for 0.8 s, longer than quiet: a change every 10 ms
            activity[0] += 1
            await asyncio.sleep(0.01)
        assert collected == []
        quiet_from = asyncio.get_running_loop().time()
        await wait_until(lambda: collected, what="a collection once quiet")
        assert collected[0] - quiet_from >= 0.49
    finally:
        task.cancel()
