"""How many watch a poll in other processes ("N watching"), through a real `redis-server`:
each process counts the viewers of the others only, forgets a process that stopped
refreshing, and counts nobody while Redis is down."""

from __future__ import annotations

import asyncio
import uuid

from crowdsource.realtime.broker.redis_pubsub import RedisBroker
from tests.helpers.redis_broker import (
    started,
)
from tests.helpers.services import RedisServer


async def test_watching_elsewhere_counts_the_other_processes_only(
    redis_server: RedisServer, channel: str
) -> None:
    poll_id = uuid.uuid4().int % 10**9  # a poll no other test touches
    (a, _), (b, _) = (
        await started(redis_server.url(), channel),
        await started(redis_server.url(), channel),
    )
    try:
        assert await a.watching_elsewhere(poll_id, 3) == 0
        assert await b.watching_elsewhere(poll_id, 2) == 3
        assert await a.watching_elsewhere(poll_id, 4) == 2
        assert await b.watching_elsewhere(poll_id + 1, 9) == 0  # another poll
        assert await a.watching_elsewhere(poll_id, 0) == 2  # nobody watches on A any more
        assert await b.watching_elsewhere(poll_id, 2) == 0
        await a.watching_elsewhere(poll_id, 4)
    finally:
        await a.stop()  # a clean stop takes A's viewers out of the count at once
    try:
        assert await b.watching_elsewhere(poll_id, 2) == 0
    finally:
        await b.stop()


async def test_a_process_that_stopped_refreshing_no_longer_counts(
    redis_server: RedisServer, channel: str
) -> None:
    poll_id = uuid.uuid4().int % 10**9
    crashed = RedisBroker(redis_server.url(), channel=channel)
    alive = RedisBroker(redis_server.url(), channel=channel, presence_stale=0.3)
    try:
        await crashed.watching_elsewhere(poll_id, 5)
        assert await alive.watching_elsewhere(poll_id, 1) == 5
        await asyncio.sleep(0.5)  # the crashed process never refreshes its count again
        assert await alive.watching_elsewhere(poll_id, 1) == 0
        key = f"crowdsource:watching:{poll_id}"
        assert await alive._client.hkeys(key) == [alive.process.encode()]  # type: ignore[union-attr]
    finally:
        await crashed.stop()
        await alive.stop()


async def test_watching_elsewhere_is_zero_while_redis_is_down(
    own_redis: RedisServer, channel: str
) -> None:
    broker, _ = await started(own_redis.url(), channel)
    try:
        own_redis.kill()
        assert await broker.watching_elsewhere(1, 3) == 0
    finally:
        await broker.stop()
