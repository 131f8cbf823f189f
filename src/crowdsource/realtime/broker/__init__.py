"""“Poll X changed”, “room X changed” and “user X's sessions ended” between processes: pick
the broker the settings ask for, and run it.

Nothing outside `realtime/` and the composition (`app.py`) knows which broker runs."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from crowdsource.realtime.broker.in_memory import InMemoryBroker
from crowdsource.realtime.broker.protocol import (
    Broker,
    Listener,
    ResyncListener,
    SessionsListener,
    VotesListener,
)
from crowdsource.realtime.broker.redis_pubsub import RedisBroker
from crowdsource.settings import Settings

__all__ = ["Broker", "InMemoryBroker", "RedisBroker", "make_broker", "start_broker"]


def make_broker(settings: Settings) -> Broker:
    """Redis pub/sub when REDIS_URL is set (several processes), else in memory."""
    if settings.redis_url is None:
        return InMemoryBroker()
    return RedisBroker(settings.redis_url, prefix=settings.redis_prefix)


@asynccontextmanager
async def start_broker(
    broker: Broker,
    on_change: Listener,
    on_resync: ResyncListener,
    on_sessions_ended: SessionsListener | None = None,
    on_room_changed: Listener | None = None,
    on_votes_changed: VotesListener | None = None,
) -> AsyncIterator[Broker]:
    """Run `broker` for as long as the block lasts, delivering changes to `on_change`,
    sign-outs to `on_sessions_ended`, rooms' moves to `on_room_changed` and new ballots to
    `on_votes_changed` (else to `on_change`).

    In the lifespan: `async with start_broker(broker, on_change, on_resync, ...): yield`."""
    await broker.start(on_change, on_resync, on_sessions_ended, on_room_changed, on_votes_changed)
    try:
        yield broker
    finally:
        await broker.stop()
