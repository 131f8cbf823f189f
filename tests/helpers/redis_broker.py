"""Redis brokers for tests: one started with a Recorder, on a channel of the test's own (the
`channel` fixture, tests/realtime/broker/conftest.py)."""

from __future__ import annotations

from crowdsource.realtime.broker.redis_pubsub import RedisBroker
from tests.helpers.broker import Recorder


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
