"""Group commit: concurrent callers share one run of a batch function.

The first caller starts a run at once (no added wait when the server is quiet); whatever
arrives while that run is in progress forms the next batch. Under a burst, N concurrent
writes become a few transactions instead of N, without any caller waiting on a timer."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

# One batch is one transaction: bound it so a huge backlog still commits in steps.
MAX_BATCH = 500


class _Pending(Generic[Item, Result]):
    __slots__ = ("future", "item")

    def __init__(self, item: Item, future: asyncio.Future[Result]) -> None:
        self.item = item
        self.future = future


@dataclass
class GroupCommit(Generic[Item, Result]):
    """`await submit(item)` returns what `run_batch` gave for that item.

    `run_batch(items)` returns one entry per item, in order: a result, or an exception that
    is raised to that item's caller only. When `run_batch` itself raises, a batch of several
    is run again item by item if `retry_alone(error)` says so (one bad item must not fail
    its neighbours); otherwise the error goes to every caller of that batch."""

    run_batch: Callable[[Sequence[Item]], Awaitable[Sequence[Result | BaseException]]]
    retry_alone: Callable[[Exception], bool] = lambda _error: False
    max_batch: int = MAX_BATCH

    def __post_init__(self) -> None:
        self._queue: list[_Pending[Item, Result]] = []
        self._runner: asyncio.Task[None] | None = None

    async def submit(self, item: Item) -> Result:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Result] = loop.create_future()
        self._queue.append(_Pending(item, future))
        if self._runner is None or self._runner.get_loop() is not loop:
            self._runner = asyncio.create_task(self._drain())
        # A caller cancelled while waiting cancels only its own future: the batch runs on.
        return await future

    async def _drain(self) -> None:
        try:
            while self._queue:
                batch = self._queue[: self.max_batch]
                del self._queue[: self.max_batch]
                await self._run(batch)
        finally:
            self._runner = None
            for left in self._queue:  # only when the drain itself was cancelled
                left.future.cancel()
            self._queue.clear()

    async def _run(self, batch: list[_Pending[Item, Result]]) -> None:
        try:
            results = await self.run_batch([pending.item for pending in batch])
        except asyncio.CancelledError:
            for pending in batch:
                pending.future.cancel()
            raise
        except Exception as error:
            if len(batch) > 1 and self.retry_alone(error):
                for pending in batch:
                    await self._run([pending])
                return
            for pending in batch:
                if not pending.future.done():
                    pending.future.set_exception(error)
            return
        for pending, result in zip(batch, results, strict=True):
            if pending.future.done():
                continue
            if isinstance(result, BaseException):
                pending.future.set_exception(result)
            else:
                pending.future.set_result(result)
