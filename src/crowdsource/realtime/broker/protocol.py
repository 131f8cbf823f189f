"""“Poll X changed” between processes, and how many watch a poll in the other processes.
In memory for one process; Redis for many.

Nothing outside `realtime/` knows which broker runs: the app calls `poll_changed()`."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from starlette.applications import Starlette

    from crowdsource.settings import Settings

Listener = Callable[[int], Awaitable[None]]
ResyncListener = Callable[[], Awaitable[None]]
WatchingElsewhere = Callable[[int, int], Awaitable[int]]


class Broker(Protocol):
    async def start(self, on_change: Listener, on_resync: ResyncListener) -> None:
        """Begin delivering every `poll_changed` (from any process) to `on_change`;
        `on_resync` is called when messages may have been lost (after a reconnect)."""

    async def poll_changed(self, poll_id: int) -> None:
        """Announce, after commit, that a poll's stored state changed."""

    async def watching_elsewhere(self, poll_id: int, here: int) -> int:
        """Record that `here` sockets of this process watch the poll (0: none any more);
        return how many watch it in the other processes (0 when that cannot be known)."""

    async def stop(self) -> None: ...


async def nobody_elsewhere(poll_id: int, here: int) -> int:
    """One process: nobody watches anywhere else."""
    return 0


class InMemoryBroker:
    """One process: a change is delivered straight to this process's listener."""

    def __init__(self) -> None:
        self._on_change: Listener | None = None

    async def start(self, on_change: Listener, on_resync: ResyncListener) -> None:
        self._on_change = on_change

    async def poll_changed(self, poll_id: int) -> None:
        if self._on_change is not None:
            await self._on_change(poll_id)

    watching_elsewhere = staticmethod(nobody_elsewhere)

    async def stop(self) -> None:
        self._on_change = None


def make_broker(settings: Settings) -> Broker:
    """Redis pub/sub when REDIS_URL is set (several processes), else in memory."""
    if settings.redis_url is None:
        return InMemoryBroker()
    from crowdsource.realtime.broker.redis_pubsub import RedisBroker

    return RedisBroker(settings.redis_url)


@asynccontextmanager
async def start_broker(
    app: Starlette, on_change: Listener, on_resync: ResyncListener
) -> AsyncIterator[Broker]:
    """Run the app's broker (`app.state.changes`) for as long as the block lasts.

    In the lifespan: `async with start_broker(app, on_change, on_resync): yield`."""
    broker: Broker = app.state.changes
    await broker.start(on_change, on_resync)
    try:
        yield broker
    finally:
        await broker.stop()
