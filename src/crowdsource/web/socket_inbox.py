"""What uvicorn's WebSocket protocol waits on, light enough to keep one per idle socket.

uvicorn gives every socket an `asyncio.Queue` of received events and an `asyncio.Event` that
says whether the transport takes writes: five deques, about 3.8 KB, for the socket's whole
life, though an idle socket has nothing queued and at most one reader waiting. These two do
the same for the calls uvicorn makes (`put_nowait`, `get`, `empty`, `qsize`; `set`, `clear`,
`is_set`, `wait`) and keep their deque and waiters only while there are some."""

from __future__ import annotations

import asyncio
from collections import deque
from typing import Any


def _wake(waiters: list[asyncio.Future[None]] | None) -> None:
    for waiter in waiters or ():
        if not waiter.done():
            waiter.set_result(None)


async def _wait(waiters: list[asyncio.Future[None]]) -> None:
    """Wait on a new future kept in `waiters`; it leaves them when done or cancelled."""
    waiter = asyncio.get_running_loop().create_future()
    waiters.append(waiter)
    try:
        await waiter
    finally:
        waiters.remove(waiter)


class Inbox:
    """An unbounded FIFO queue for the events a socket received (`asyncio.Queue`'s calls)."""

    __slots__ = ("_getters", "_items")

    def __init__(self) -> None:
        self._items: deque[Any] | None = None
        self._getters: list[asyncio.Future[None]] | None = None

    def put_nowait(self, item: Any) -> None:
        if self._items is None:
            self._items = deque()
        self._items.append(item)
        _wake(self._getters)

    async def get(self) -> Any:
        while not self._items:
            if self._getters is None:
                self._getters = []
            await _wait(self._getters)
        item = self._items.popleft()
        if not self._items:
            self._items = None
        if not self._getters:
            self._getters = None
        return item

    def empty(self) -> bool:
        return not self._items

    def qsize(self) -> int:
        return len(self._items) if self._items else 0


class Gate:
    """A flag to wait for (`asyncio.Event`'s calls): set while the transport takes writes."""

    __slots__ = ("_open", "_waiters")

    def __init__(self) -> None:
        self._open = False
        self._waiters: list[asyncio.Future[None]] | None = None

    def is_set(self) -> bool:
        return self._open

    def set(self) -> None:
        if not self._open:
            self._open = True
            waiters, self._waiters = self._waiters, None
            _wake(waiters)

    def clear(self) -> None:
        self._open = False

    async def wait(self) -> bool:
        while not self._open:
            if self._waiters is None:
                self._waiters = []
            await _wait(self._waiters)
        return True
