"""Redis pub/sub through outages against a real `redis-server`: while Redis is down a
broker still tells its own process; after a restart every broker resynchronises and hears
the others again; the reconnect backoff; the start-up check that names the URL."""

from __future__ import annotations

import pytest

from crowdsource.domain.service_urls import Unreachable
from crowdsource.realtime.broker.redis_connection import check_redis, next_backoff
from tests.helpers.redis_broker import (
    started,
)
from tests.helpers.services import RedisServer, free_port
from tests.helpers.waiting import wait_until


async def test_a_room_change_while_redis_is_down_still_reaches_this_process(
    own_redis: RedisServer, channel: str
) -> None:
    broker, heard = await started(own_redis.url(), channel)
    try:
        own_redis.kill()
        await broker.room_changed(9)
        assert await heard.next_room_change() == 9
        assert heard.no_change_yet()
    finally:
        await broker.stop()


async def test_a_sign_out_while_redis_is_down_still_reaches_this_process(
    own_redis: RedisServer, channel: str
) -> None:
    broker, heard = await started(own_redis.url(), channel)
    try:
        own_redis.kill()
        await broker.sessions_ended(8)
        assert await heard.next_sessions_ended() == 8
    finally:
        await broker.stop()


async def test_publishing_while_redis_is_down_does_not_raise_and_updates_locally(
    own_redis: RedisServer, channel: str
) -> None:
    broker, heard = await started(own_redis.url(), channel)
    try:
        own_redis.kill()
        await broker.poll_changed(7)
        assert await heard.next_change() == 7
    finally:
        await broker.stop()


async def test_after_redis_restarts_brokers_resync_and_hear_each_other_again(
    own_redis: RedisServer, channel: str
) -> None:
    (voting, heard_voting), (viewing, heard_viewing) = (
        await started(own_redis.url(), channel),
        await started(own_redis.url(), channel),
    )
    try:
        own_redis.kill()
        for poll_id in (1, 2, 3):  # votes keep landing while Redis is away
            await voting.poll_changed(poll_id)
        assert [await heard_voting.next_change() for _ in range(3)] == [1, 2, 3]
        assert heard_viewing.no_change_yet()  # lost in transit: the resync makes up for it

        own_redis.start()
        await heard_voting.next_resync()
        await heard_viewing.next_resync()
        await voting.poll_changed(4)
        assert await heard_viewing.next_change() == 4
        assert await heard_voting.next_change() == 4
    finally:
        await voting.stop()
        await viewing.stop()


@pytest.mark.parametrize("published_while_away", [False, True], ids=["quiet", "published"])
async def test_the_first_change_after_a_redis_restart_reaches_other_processes(
    own_redis: RedisServer, channel: str, published_while_away: bool
) -> None:
    """A broker that published before Redis restarted holds pooled connections the old
    server closed (published while away or not: the pool hands out the last one released,
    the listener's, so an older one can stay behind unchecked). Its first change after the
    restart must still go out, not only to its own viewers: the others have resynchronised
    already and would stay wrong."""
    (voting, heard_voting), (viewing, heard_viewing) = (
        await started(own_redis.url(), channel),
        await started(own_redis.url(), channel),
    )
    try:
        await voting.poll_changed(1)
        assert await heard_viewing.next_change() == 1
        own_redis.kill()
        if published_while_away:
            await wait_until(lambda: not voting.subscribed)
            await voting.poll_changed(2)
            assert await heard_voting.next_change() == 1
            assert await heard_voting.next_change() == 2
        own_redis.start()
        await heard_voting.next_resync()
        await heard_viewing.next_resync()
        await voting.poll_changed(3)
        assert await heard_viewing.next_change() == 3
    finally:
        await voting.stop()
        await viewing.stop()


async def test_a_broker_started_while_redis_is_down_works_locally_and_resyncs_later(
    redis_binary: None, channel: str
) -> None:
    server = RedisServer()  # port chosen, nothing listening yet
    broker, heard = await started(server.url(), channel)
    try:
        assert not broker.subscribed
        await broker.poll_changed(9)
        assert await heard.next_change() == 9
        server.start()
        await heard.next_resync()
        assert broker.subscribed
        await broker.poll_changed(10)
        assert await heard.next_change() == 10
    finally:
        await broker.stop()
        server.stop()


def test_backoff_doubles_up_to_its_cap() -> None:
    delays = [0.1]
    for _ in range(8):
        delays.append(next_backoff(delays[-1], cap=5.0))
    assert delays[:4] == [0.1, 0.2, 0.4, 0.8]
    assert max(delays) == 5.0 and delays[-1] == 5.0


async def test_check_redis_names_the_url_without_its_password(redis_server: RedisServer) -> None:
    await check_redis(redis_server.url())
    url = f"redis://:hunter2@127.0.0.1:{free_port()}/0"
    with pytest.raises(Unreachable) as raised:
        await check_redis(url)
    message = str(raised.value)
    assert message.startswith("cannot connect to REDIS_URL redis://:***@127.0.0.1:")
    assert "hunter2" not in message and "\n" not in message
