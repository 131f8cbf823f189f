"""Picking the broker from the settings, and running it for the app's lifetime."""

from __future__ import annotations

from pathlib import Path

from crowdsource.app import create_app
from crowdsource.realtime.broker import InMemoryBroker, RedisBroker, make_broker, start_broker
from tests.helpers.broker import Recorder
from tests.helpers.client import make_settings


def test_the_broker_follows_redis_url(tmp_path: Path) -> None:
    assert isinstance(make_broker(make_settings(tmp_path)), InMemoryBroker)
    redis = make_broker(make_settings(tmp_path, redis_url="redis://127.0.0.1:6379/0"))
    assert isinstance(redis, RedisBroker) and redis.url == "redis://127.0.0.1:6379/0"


def test_every_redis_name_starts_with_the_prefix_setting(tmp_path: Path) -> None:
    url = "redis://127.0.0.1:6379/0"
    default = make_broker(make_settings(tmp_path, redis_url=url))
    assert isinstance(default, RedisBroker)
    assert (default.channel, default.name("watching", 42)) == (
        "crowdsource:poll-changed",
        "crowdsource:watching:42",
    )
    staging = make_broker(make_settings(tmp_path, redis_url=url, redis_prefix="staging"))
    assert isinstance(staging, RedisBroker)
    assert (staging.channel, staging.name("watching", 42)) == (
        "staging:poll-changed",
        "staging:watching:42",
    )


async def test_start_broker_runs_the_broker_for_the_block() -> None:
    broker = InMemoryBroker()
    heard = Recorder()
    async with start_broker(broker, heard.on_change, heard.on_resync) as running:
        assert running is broker
        await broker.poll_changed(8)
        assert await heard.next_change() == 8
    await broker.poll_changed(9)
    assert heard.no_change_yet()


def test_the_app_runs_the_broker_its_settings_ask_for(tmp_path: Path) -> None:
    app = create_app(make_settings(tmp_path))
    assert isinstance(app.state.broker, InMemoryBroker)
    assert not hasattr(app.state, "changes")
