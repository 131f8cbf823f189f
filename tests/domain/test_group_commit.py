"""GroupCommit: concurrent callers share runs of one batch function, each gets its own answer."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import pytest

from crowdsource.domain.group_commit import GroupCommit


class Recorder:
    """A batch function that remembers its batches and can be held open."""

    def __init__(self) -> None:
        self.batches: list[list[int]] = []
        self.gate = asyncio.Event()
        self.gate.set()

    async def __call__(self, items: Sequence[int]) -> list[int | BaseException]:
        self.batches.append(list(items))
        await self.gate.wait()
        return [ValueError(f"odd {item}") if item % 2 else item * 10 for item in items]


async def test_a_lone_caller_runs_at_once_in_a_batch_of_its_own() -> None:
    recorder = Recorder()
    group = GroupCommit(recorder)
    assert await group.submit(2) == 20
    assert await group.submit(4) == 40
    assert recorder.batches == [[2], [4]]


async def test_callers_arriving_during_a_run_share_the_next_run() -> None:
    recorder = Recorder()
    recorder.gate.clear()
    group = GroupCommit(recorder)
    first = asyncio.create_task(group.submit(0))
    await asyncio.sleep(0)  # the first run starts with the first item alone
    rest = [asyncio.create_task(group.submit(item)) for item in (2, 4, 6, 8)]
    await asyncio.sleep(0)
    recorder.gate.set()
    assert await first == 0
    assert await asyncio.gather(*rest) == [20, 40, 60, 80]
    assert recorder.batches == [[0], [2, 4, 6, 8]]


async def test_an_item_refused_by_the_batch_fails_only_its_own_caller() -> None:
    group = GroupCommit(Recorder())
    results = await asyncio.gather(*(group.submit(i) for i in range(4)), return_exceptions=True)
    assert results[0] == 0 and results[2] == 20
    assert [str(r) for r in results[1::2]] == ["odd 1", "odd 3"]


async def test_batches_are_bounded() -> None:
    recorder = Recorder()
    group = GroupCommit(recorder, max_batch=3)
    await asyncio.gather(*(group.submit(item * 2) for item in range(8)))
    assert [len(batch) for batch in recorder.batches] == [3, 3, 2]


async def test_a_failed_batch_reaches_every_caller_unless_items_may_be_retried() -> None:
    calls: list[list[int]] = []

    async def explode_on_seven(items: Sequence[int]) -> list[int | BaseException]:
        calls.append(list(items))
        if 7 in items:
            raise RuntimeError("row 7 is broken")
        return list(items)

    failing = GroupCommit(explode_on_seven)
    results = await asyncio.gather(*(failing.submit(i) for i in (1, 7, 3)), return_exceptions=True)
    assert [type(r) for r in results] == [RuntimeError] * 3

    calls.clear()
    isolating = GroupCommit(explode_on_seven, retry_alone=lambda error: "broken" in str(error))
    results = await asyncio.gather(
        *(isolating.submit(i) for i in (1, 7, 3)), return_exceptions=True
    )
    assert results[0] == 1 and results[2] == 3
    assert isinstance(results[1], RuntimeError)
    assert calls == [[1, 7, 3], [1], [7], [3]]


async def test_a_cancelled_caller_does_not_cancel_the_others() -> None:
    recorder = Recorder()
    recorder.gate.clear()
    group = GroupCommit(recorder)
    leaving = asyncio.create_task(group.submit(2))
    staying = asyncio.create_task(group.submit(4))
    await asyncio.sleep(0)
    leaving.cancel()
    recorder.gate.set()
    assert await staying == 40
    with pytest.raises(asyncio.CancelledError):
        await leaving
    assert recorder.batches == [[2, 4]]
