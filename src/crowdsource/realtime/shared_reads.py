"""One read at a time per key: the sockets that join together share it.

A room's students open its page together when its code goes up on the projector: fifty
sockets in the same instant, each finding the room not yet read in this process. Each used
to read it for itself (the room, its questions and their counts; the current question and
every ballot of it), fifty times over, before any of them could keep what it read. Here the
first join starts the read and the others wait for its result."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class SharedReads(Generic[K, V]):
    """Reads in flight, by key. A read is its own task: a waiter that goes away (its socket
    closed) does not cancel it for the others; its error reaches every waiter."""

    def __init__(self) -> None:
        self._running: dict[K, asyncio.Future[V]] = {}

    def __len__(self) -> int:
        return len(self._running)

    async def read(self, key: K, reader: Callable[[], Awaitable[V]]) -> V:
        """`reader()`'s result: of the read in flight for `key` if there is one (started
        before this call, so it sees every change committed before it started), else of a
        new one."""
        running = self._running.get(key)
        if running is None:
            running = asyncio.ensure_future(reader())
            self._running[key] = running
            running.add_done_callback(lambda done: self._finished(key, done))
        return await asyncio.shield(running)

    def _finished(self, key: K, done: asyncio.Future[V]) -> None:
        if self._running.get(key) is done:
            del self._running[key]
