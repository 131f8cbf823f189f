"""The metrics move when it happens: a vote, a fan-out, an overflow, a refusal, a database
outage, a broker reconnect. Read as a scraper reads them, from /metrics."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from redis.asyncio import Redis
from starlette.testclient import TestClient
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocketDisconnect
from tortoise.exceptions import DBConnectionError

from crowdsource.realtime.hub import OUTBOX_SIZE
from crowdsource.web.metrics import Metrics
from crowdsource.web.middleware.outage import DatabaseOutageMiddleware
from crowdsource.web.ratelimit import Limits
from tests.helpers.client import create_poll, make_settings, run, sign_in_guest, vote
from tests.helpers.factories import make_poll
from tests.helpers.imports import source_modules
from tests.helpers.metrics import TOKEN, sample, scrape, value
from tests.helpers.realtime import new_publisher, settle
from tests.helpers.rooms import ask, create_room, room_socket
from tests.helpers.services import RedisServer
from tests.helpers.sockets import FakeSocket, receive_until, send_vote

VOTES = "crowdsource_votes_stored_total"
REFUSALS = "crowdsource_rate_limit_refusals_total"
RECONNECTS = "crowdsource_broker_reconnects_total"


def eventually(client: TestClient, name: str, expected: float) -> float:
    """The sample once it reaches `expected` (the server acts on its own time), bounded."""
    for _ in range(500):
        found = value(client, name)
        if found == expected:
            break
        time.sleep(0.01)
    return found


def first_choice(client: TestClient, slug: str, *, second: bool = False) -> str:
    """The first response's id (or the second's)."""
    return str(client.get(f"/polls/{slug}/results.json").json()["choices"][int(second)]["id"])


def test_votes_over_the_form_and_the_socket_are_counted_once_each(
    client_factory: Callable[..., TestClient],
) -> None:
    owner = client_factory(metrics_token=TOKEN)
    sign_in_guest(owner)
    slug = create_poll(owner)
    first = first_choice(owner, slug)
    assert value(owner, VOTES) == 0
    assert vote(owner, slug, first).status_code == 303
    assert value(owner, VOTES) == 1
    with owner.websocket_connect(f"/polls/{slug}/ws") as ws:
        receive_until(ws, 'id="results"')
        send_vote(ws, first)
        receive_until(ws, "is in.")
        send_vote(ws, "not-a-choice")  # refused: nothing stored, nothing counted
        receive_until(ws, "vote-status-error")
    assert value(owner, VOTES) == 2


def test_a_fanout_is_timed_and_the_sockets_and_polls_are_counted(
    client_factory: Callable[..., TestClient],
) -> None:
    owner = client_factory(metrics_token=TOKEN)
    sign_in_guest(owner)
    slug = create_poll(owner)
    first = first_choice(owner, slug)
    with owner.websocket_connect(f"/polls/{slug}/ws") as ws:
        receive_until(ws, 'id="results"')
        before = scrape(owner)
        assert sample(before, "crowdsource_sockets_open") == 1
        assert sample(before, "crowdsource_polls_watched") == 1
        vote(owner, slug, first)  # the first vote: the owner's controls get "Vote again"
        receive_until(ws, 'data-total-votes="1"')
        after = scrape(owner)
        vote(owner, slug, first_choice(owner, slug, second=True))  # a change of mind: a delta
        receive_until(ws, 'data-votes="0"')
        later = scrape(owner)
    for histogram in ("crowdsource_publish_lag_seconds", "crowdsource_fanout_seconds"):
        count = f"{histogram}_count"
        assert sample(after, count) == sample(before, count) + 1, histogram
        assert sample(after, f"{histogram}_sum") > sample(before, f"{histogram}_sum")
    assert sample(later, "crowdsource_renders_total", kind="delta") >= 1
    assert eventually(owner, "crowdsource_sockets_open", 0) == 0
    assert value(owner, "crowdsource_polls_watched") == 0


def test_vote_refusals_are_counted_by_limiter(client_factory: Callable[..., TestClient]) -> None:
    owner = client_factory(metrics_token=TOKEN, votes_per_second=0.01)
    sign_in_guest(owner)
    slug = create_poll(owner)
    first = first_choice(owner, slug)
    statuses = [vote(owner, slug, first).status_code for _ in range(6)]
    assert statuses == [303] * 5 + [429]
    with owner.websocket_connect(f"/polls/{slug}/ws") as ws:
        receive_until(ws, 'id="results"')
        ws.send_text(json.dumps({"choice": first}))
        assert "going a little fast" in receive_until(ws, "vote-status-error")
    text = scrape(owner)
    assert sample(text, REFUSALS, limiter="votes") == 2
    assert sample(text, REFUSALS, limiter="sign_ins") == 0
    assert sample(text, VOTES) == 5


def test_socket_refusals_are_counted(client_factory: Callable[..., TestClient]) -> None:
    owner = client_factory(metrics_token=TOKEN, sockets_per_address=1)
    sign_in_guest(owner)
    slug = create_poll(owner)
    with owner.websocket_connect(f"/polls/{slug}/ws") as ws:
        receive_until(ws, 'id="results"')
        with (
            pytest.raises(WebSocketDisconnect),
            owner.websocket_connect(f"/polls/{slug}/ws") as refused,
        ):
            refused.receive_text()  # accepted, then closed with 1013
    assert value(owner, REFUSALS, limiter="sockets") == 1


@pytest.mark.usefixtures("orm")
async def test_an_overflowing_outbox_is_counted() -> None:
    metrics = Metrics()
    publisher = new_publisher(observer=metrics)
    publisher.start()
    try:
        gate = asyncio.Event()
        subscriber = await publisher.connect(FakeSocket(gate), await make_poll(), None, "csrf")
        await asyncio.sleep(0)  # its writer now waits on the stalled socket
        for n in range(OUTBOX_SIZE + 1):
            subscriber.client.offer(f"delta {n}")
        text = metrics.exposition().decode()
        assert sample(text, "crowdsource_outbox_overflows_total") == 1
        gate.set()
        await settle(publisher)
    finally:
        await publisher.stop()


def test_database_outages_are_counted_by_transport() -> None:
    async def database_away(scope: Scope, receive: Receive, send: Send) -> None:
        raise DBConnectionError("connection refused")  # as a route meets an outage

    metrics = Metrics()
    app = DatabaseOutageMiddleware(database_away, seen=metrics.database_unavailable)
    assert TestClient(app).get("/anything.json").status_code == 503
    text = metrics.exposition().decode()
    assert sample(text, "crowdsource_database_unavailable_total", transport="http") == 1
    assert sample(text, "crowdsource_database_unavailable_total", transport="websocket") == 0


async def kill_subscribers(url: str) -> None:
    """Redis drops every pub/sub connection, as on a failover or a network cut."""
    redis = Redis.from_url(url)
    try:
        await redis.client_kill_filter(_type="pubsub")
    finally:
        await redis.aclose()


def test_a_redis_reconnect_is_counted(
    client_factory: Callable[..., TestClient], redis_server: RedisServer
) -> None:
    client = client_factory(metrics_token=TOKEN, redis_url=redis_server.url())
    text = scrape(client)
    assert sample(text, "crowdsource_broker_subscribed") == 1
    assert sample(text, RECONNECTS) == 0
    run(client, kill_subscribers, redis_server.url())
    assert eventually(client, RECONNECTS, 1) == 1
    assert value(client, "crowdsource_broker_subscribed") == 1


async def test_every_resync_the_broker_asks_for_counts_as_a_reconnect() -> None:
    metrics, resyncs = Metrics(), []

    async def resync() -> None:
        resyncs.append(True)

    counted = metrics.reconnected(resync)
    await counted()
    await counted()
    assert resyncs == [True, True]
    text = metrics.exposition().decode()
    assert sample(text, "crowdsource_broker_reconnects_total") == 2


def test_each_app_has_a_registry_of_its_own() -> None:
    one, two = Metrics(), Metrics()
    one.vote_stored()
    assert sample(one.exposition().decode(), VOTES) == 1
    assert sample(two.exposition().decode(), VOTES) == 0
    assert "process_cpu_seconds_total" in two.exposition().decode()


def test_every_limiter_reports_its_refusals_under_its_own_name(tmp_path: Path) -> None:
    metrics = Metrics()
    settings = make_settings(
        tmp_path,
        sign_ins_per_minute=2,
        polls_per_minute=2,
        votes_per_second=0.01,
        sockets_per_address=1,
    )
    limits = Limits.from_settings(settings, refused=metrics.refused)
    for limiter, refusals in ((limits.votes, 1), (limits.sign_ins, 2), (limits.poll_creations, 3)):
        allowed = [limiter.allow("key") for _ in range(limiter.rate.burst + refusals)]
        assert allowed.count(False) == refusals
    assert limits.sockets.acquire("key") and not limits.sockets.acquire("key")
    text = metrics.exposition().decode()
    expected = {"votes": 1, "sign_ins": 2, "poll_creations": 3, "sockets": 1}
    assert {name: sample(text, REFUSALS, limiter=name) for name in expected} == expected


def test_only_the_metrics_module_knows_prometheus() -> None:
    """The layers report through observers; none of them depends on the metrics library."""
    importers = {
        name
        for name, module in source_modules().items()
        if any(imported.split(".")[0] == "prometheus_client" for imported in module.imports())
    }
    assert importers == {"crowdsource.web.metrics"}


def test_room_sockets_count_as_rooms_not_polls(client_factory: Callable[..., TestClient]) -> None:
    owner = client_factory(metrics_token=TOKEN)
    sign_in_guest(owner)
    code = create_room(owner)
    ask(owner, code)
    with owner.websocket_connect(room_socket(code)) as ws:
        receive_until(ws, 'id="stage"')
        scraped = scrape(owner)
    assert sample(scraped, "crowdsource_sockets_open") == 1
    assert sample(scraped, "crowdsource_rooms_watched") == 1
    assert sample(scraped, "crowdsource_polls_watched") == 0
