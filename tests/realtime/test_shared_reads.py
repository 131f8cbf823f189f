"""One read at a time per key: callers that come while a read is in flight share it; a
caller that goes away does not cancel it for the others; an error reaches every caller
and the next call reads again."""

from __future__ import annotations

import asyncio
import gc

import pytest

from crowdsource.realtime.shared_reads import SharedReads


class Reader:
    """A read that waits for `release`, and counts how often it was started."""

    def __init__(self, result: str = "room", error: Exception | None = None) -> None:
        self.started = 0
        self.release = asyncio.Event()
        self.result, self.error = result, error

    async def __call__(self) -> str:
        self.started += 1
        await self.release.wait()
        if self.error is not None:
            raise self.error
        return f"{self.result} #{self.started}"


async def test_callers_during_a_read_share_it() -> None:
    reads: SharedReads[int, str] = SharedReads()
    reader = Reader()
    callers = [asyncio.ensure_future(reads.read(7, reader)) for _ in range(50)]
    await asyncio.sleep(0)
    reader.release.set()
    assert await asyncio.gather(*callers) == ["room #1"] * 50
    assert reader.started == 1
    assert len(reads) == 0  # nothing kept once it is done


async def test_a_call_after_the_read_ended_reads_again() -> None:
    reads: SharedReads[int, str] = SharedReads()
    reader = Reader()
    reader.release.set()
    assert await reads.read(7, reader) == "room #1"
    assert await reads.read(7, reader) == "room #2"


async def test_other_keys_read_on_their_own() -> None:
    reads: SharedReads[int, str] = SharedReads()
    first, second = Reader("a"), Reader("b")
    calls = [
        asyncio.ensure_future(reads.read(key, reader)) for key, reader in ((1, first), (2, second))
    ]
    await asyncio.sleep(0)
    first.release.set()
    second.release.set()
    assert await asyncio.gather(*calls) == ["a #1", "b #1"]


async def test_a_caller_that_leaves_does_not_cancel_the_read_for_the_others() -> None:
    reads: SharedReads[int, str] = SharedReads()
    reader = Reader()
    leaving = asyncio.ensure_future(reads.read(7, reader))
    staying = asyncio.ensure_future(reads.read(7, reader))
    await asyncio.sleep(0)
    leaving.cancel()  # its socket closed while it waited
    await asyncio.sleep(0)
    reader.release.set()
    assert await staying == "room #1"
    assert leaving.cancelled() and reader.started == 1


async def test_an_error_reaches_every_caller_and_the_next_call_reads_again() -> None:
    reads: SharedReads[int, str] = SharedReads()
    failing = Reader(error=ConnectionError("database away"))
    callers = [asyncio.ensure_future(reads.read(7, failing)) for _ in range(3)]
    await asyncio.sleep(0)
    failing.release.set()
    results = await asyncio.gather(*callers, return_exceptions=True)
    assert all(isinstance(result, ConnectionError) for result in results)
    working = Reader()
    working.release.set()
    assert await reads.read(7, working) == "room #1"


async def test_an_error_nobody_waits_for_is_not_left_unretrieved(
    caplog: pytest.LogCaptureFixture,
) -> None:
    reads: SharedReads[int, str] = SharedReads()
    failing = Reader(error=ConnectionError("database away"))
    caller = asyncio.ensure_future(reads.read(7, failing))
    await asyncio.sleep(0)
    caller.cancel()
    failing.release.set()
    for _ in range(5):
        await asyncio.sleep(0)
    assert len(reads) == 0
    del caller  # its CancelledError's traceback holds the read
    gc.collect()  # an unretrieved task error is logged when the task is freed
    assert "exception was never retrieved" not in caplog.text
