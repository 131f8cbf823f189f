"""Redis brokers for tests: one started with a Recorder, on a channel of the test's own; and
a Redis server of the test's own, free to be killed and restarted."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import pytest

from crowdsource.realtime.broker.redis_pubsub import RedisBroker
from tests.helpers.broker import Recorder
from tests.helpers.services import RedisServer


async def started(url: str, channel: str) -> tuple[RedisBroker, Recorder]:
    broker = RedisBroker(url, channel=channel, min_backoff=0.05, max_backoff=0.2)
    recorder = Recorder()
    await broker.start(
        recorder.on_change,
        recorder.on_resync,
        recorder.on_sessions_ended,
        recorder.on_room_changed,
        recorder.on_votes_changed,
    )
    return broker, recorder


# Tests ask for `channel` and `own_redis`; their modules import these fixtures under the names
# below, so that the parameters do not shadow the imports.


@pytest.fixture(name="channel")
def channel_fixture() -> str:
    return f"test:{uuid.uuid4().hex}"


@pytest.fixture(name="own_redis")
async def own_redis_fixture(redis_binary: None) -> AsyncIterator[RedisServer]:
    """A Redis of this test's own, free to be killed and restarted."""
    server = RedisServer().start()
    yield server
    server.stop()
