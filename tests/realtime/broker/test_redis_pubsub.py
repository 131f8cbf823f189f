"""Redis pub/sub fan-out against a real `redis-server`: every change, sign-out and room
change reaches every broker on the channel, in order, and nothing from another channel or
deployment; what a broker shrugs off; votes and sign-outs through the routes."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable

import pytest
from starlette.testclient import TestClient

from crowdsource.domain.models import Poll
from crowdsource.realtime.broker.redis_pubsub import RedisBroker
from tests.helpers.broker import WAIT, Recorder
from tests.helpers.client import create_poll, csrf_of, run, sign_in_guest, token_claims, vote
from tests.helpers.redis_broker import (
    started,
)
from tests.helpers.services import RedisServer

Pair = tuple[tuple[RedisBroker, Recorder], tuple[RedisBroker, Recorder]]


@pytest.fixture
async def pair(redis_server: RedisServer, channel: str) -> AsyncIterator[Pair]:
    """Two processes' brokers on one channel, each with what its process heard."""
    first = await started(redis_server.url(), channel)
    second = await started(redis_server.url(), channel)
    yield first, second
    await first[0].stop()
    await second[0].stop()


async def test_a_change_reaches_every_broker_including_the_sender(pair: Pair) -> None:
    (first, heard_first), (second, heard_second) = pair
    await first.poll_changed(41)
    await second.poll_changed(42)
    assert {await heard_first.next_change(), await heard_first.next_change()} == {41, 42}
    assert {await heard_second.next_change(), await heard_second.next_change()} == {41, 42}


async def test_news_of_ballots_travels_as_a_change_that_every_broker_reads_whole(
    pair: Pair,
) -> None:
    (first, heard_first), (_, heard_second) = pair
    # one message every version of the channel understands: the voters stay here
    await first.votes_changed(43, frozenset({7}))
    assert await heard_first.next_change() == 43
    assert await heard_second.next_change() == 43
    assert heard_first.ballots.empty() and heard_second.ballots.empty()


async def test_a_sign_out_reaches_every_broker_in_order_with_the_changes(pair: Pair) -> None:
    (first, heard_first), (_, heard_second) = pair
    await first.sessions_ended(7)
    await first.poll_changed(41)
    for heard in (heard_first, heard_second):
        assert await heard.next_sessions_ended() == 7
        assert await heard.next_change() == 41


async def test_a_room_change_reaches_every_broker_in_order_with_the_changes(pair: Pair) -> None:
    (first, heard_first), (second, heard_second) = pair
    await first.poll_changed(41)
    await first.room_changed(41)
    await second.poll_changed(42)
    for heard in (heard_first, heard_second):
        assert await heard.next_room_change() == 41
        assert {await heard.next_change(), await heard.next_change()} == {41, 42}
        assert heard.room_changes.empty()


async def test_other_channels_are_not_heard(redis_server: RedisServer, channel: str) -> None:
    listener, heard = await started(redis_server.url(), channel)
    other, _ = await started(redis_server.url(), channel + ":other")
    try:
        await other.poll_changed(5)
        await listener.poll_changed(6)
        assert await heard.next_change() == 6
        assert heard.no_change_yet()
    finally:
        await listener.stop()
        await other.stop()


async def test_a_failing_listener_does_not_stop_later_deliveries(
    redis_server: RedisServer, channel: str
) -> None:
    heard: asyncio.Queue[int] = asyncio.Queue()

    async def on_change(poll_id: int) -> None:
        if poll_id == 1:
            raise RuntimeError("bug in a listener")
        heard.put_nowait(poll_id)

    async def on_resync() -> None:
        return None

    broker = RedisBroker(redis_server.url(), channel=channel)
    await broker.start(on_change, on_resync)
    try:
        await broker.poll_changed(1)
        await broker.poll_changed(2)
        assert await asyncio.wait_for(heard.get(), WAIT) == 2
    finally:
        await broker.stop()


async def test_a_malformed_message_is_ignored(redis_server: RedisServer, channel: str) -> None:
    broker, heard = await started(redis_server.url(), channel)
    try:
        assert broker._client is not None
        await broker._client.publish(channel, "not-a-poll-id")
        await broker.poll_changed(3)
        assert await heard.next_change() == 3
    finally:
        await broker.stop()


async def test_a_broker_announces_before_start_and_falls_silent_after_stop(
    redis_server: RedisServer, channel: str
) -> None:
    listener, heard = await started(redis_server.url(), channel)
    broker = RedisBroker(redis_server.url(), channel=channel)
    try:
        await broker.poll_changed(1)  # not listening itself, but other processes are
        assert await heard.next_change() == 1
        await broker.start(Recorder().on_change, Recorder().on_resync)
        await broker.stop()
        await broker.poll_changed(2)
        await listener.poll_changed(3)
        assert await heard.next_change() == 3
    finally:
        await listener.stop()


def test_votes_cast_through_the_routes_reach_another_process(
    client_factory: Callable[..., TestClient], redis_server: RedisServer
) -> None:
    client = client_factory(redis_url=redis_server.url())
    assert isinstance(client.app.state.broker, RedisBroker)
    other_process = RedisBroker(redis_server.url())
    heard = Recorder()
    run(client, other_process.start, heard.on_change, heard.on_resync)
    try:
        sign_in_guest(client)
        slug = create_poll(client)
        first = client.get(f"/polls/{slug}/results.json").json()["choices"][0]["id"]
        assert vote(client, slug, first).status_code == 303
        assert run(client, heard.next_change) == run(client, poll_id_of, slug)
    finally:
        run(client, other_process.stop)
        run(client, client.app.state.broker.stop)  # closes its connection (stop is idempotent)


def test_a_sign_out_through_the_routes_reaches_another_process(
    client_factory: Callable[..., TestClient], redis_server: RedisServer
) -> None:
    client = client_factory(redis_url=redis_server.url())
    other_process = RedisBroker(redis_server.url())
    heard = Recorder()
    run(client, other_process.start, heard.on_change, heard.on_resync, heard.on_sessions_ended)
    try:
        sign_in_guest(client)
        user_id = int(token_claims(client)["sub"])
        client.post("/logout", data={"csrf_token": csrf_of(client.get("/").text)})
        assert run(client, heard.next_sessions_ended) == user_id
    finally:
        run(client, other_process.stop)
        run(client, client.app.state.broker.stop)


async def poll_id_of(slug: str) -> int:
    return (await Poll.get(slug=slug)).id


async def test_two_deployments_sharing_one_redis_neither_hear_nor_count_each_other(
    redis_server: RedisServer,
) -> None:
    poll_id = uuid.uuid4().int % 10**9
    brokers = []
    for deployment in ("school-a", "school-b"):
        broker = RedisBroker(redis_server.url(), prefix=f"{deployment}-{uuid.uuid4().hex}")
        recorder = Recorder()
        await broker.start(recorder.on_change, recorder.on_resync)
        brokers.append((broker, recorder))
    (a, heard_a), (b, heard_b) = brokers
    try:
        for change in range(4):  # A, B, A, B: each hears its own, in order, and nothing else
            await (a, b)[change % 2].poll_changed(poll_id + change)
        assert [await heard_a.next_change() for _ in range(2)] == [poll_id, poll_id + 2]
        assert [await heard_b.next_change() for _ in range(2)] == [poll_id + 1, poll_id + 3]
        assert await a.watching_elsewhere(poll_id, 7) == 0
        assert await b.watching_elsewhere(poll_id, 3) == 0
        assert a._client is not None
        assert await a._client.hkeys(a.name("watching", poll_id)) == [a.process.encode()]
    finally:
        await a.stop()
        await b.stop()
