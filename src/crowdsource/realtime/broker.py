"""“Poll X changed” between processes. In memory for one process; Redis pub/sub for many.

Nothing outside `realtime/` knows which broker runs: the app calls `poll_changed()`."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Protocol

Listener = Callable[[int], Awaitable[None]]
ResyncListener = Callable[[], Awaitable[None]]


class Broker(Protocol):
    async def start(self, on_change: Listener, on_resync: ResyncListener) -> None:
        """Begin delivering every `poll_changed` (from any process) to `on_change`;
        `on_resync` is called when messages may have been lost (after a reconnect)."""

    async def poll_changed(self, poll_id: int) -> None:
        """Announce, after commit, that a poll's stored state changed."""

    async def stop(self) -> None: ...


class InMemoryBroker:
    """One process: a change is delivered straight to this process's listener."""

    def __init__(self) -> None:
        self._on_change: Listener | None = None

    async def start(self, on_change: Listener, on_resync: ResyncListener) -> None:
        self._on_change = on_change

    async def poll_changed(self, poll_id: int) -> None:
        if self._on_change is not None:
            await self._on_change(poll_id)

    async def stop(self) -> None:
        self._on_change = None
