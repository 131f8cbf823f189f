"""What the publisher tells its observer: one `published` per publish of a poll (lag counted
from the first hearing, retries included), one `publish_failed` per failure, one
`outbox_overflowed` per socket that fell behind (not per message dropped)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest

from crowdsource.realtime import poll_publishing
from crowdsource.realtime import publisher as publisher_module
from crowdsource.realtime.hub import OUTBOX_SIZE
from crowdsource.realtime.publisher import Publisher
from crowdsource.realtime.viewers import Subscriber
from tests.helpers.factories import choice_ids, make_poll, make_user, store_vote
from tests.helpers.realtime import new_publisher, settle
from tests.helpers.sockets import FakeSocket

pytestmark = pytest.mark.usefixtures("orm")


class Recording:
    def __init__(self) -> None:
        self.publishes: list[tuple[float, float]] = []
        self.failures = 0
        self.overflows = 0

    def published(self, lag: float, fanout: float) -> None:
        self.publishes.append((lag, fanout))

    def publish_failed(self) -> None:
        self.failures += 1

    def outbox_overflowed(self) -> None:
        self.overflows += 1


@pytest.fixture
async def observed() -> AsyncIterator[tuple[Publisher, Recording]]:
    recording = Recording()
    publisher = new_publisher(observer=recording)
    publisher.start()
    yield publisher, recording
    await publisher.stop()


async def test_a_burst_of_changes_is_one_publish_observed_once(
    observed: tuple[Publisher, Recording],
) -> None:
    publisher, recording = observed
    poll = await make_poll()
    sockets = [FakeSocket() for _ in range(20)]
    for socket in sockets:
        await publisher.connect(socket, poll, None, "csrf")
    await settle(publisher)
    assert recording.publishes == []  # connecting is not a publish
    await store_vote(poll, await make_user(), (await choice_ids(poll))[0])
    for _ in range(10):
        await publisher.on_change(poll.id)
    await settle(publisher)
    assert len(recording.publishes) == 1  # once per publish, whatever the sockets
    lag, fanout = recording.publishes[0]
    assert 0 <= lag < 5 and 0 < fanout < 5
    assert all('data-total-votes="1"' in socket.sent[-1] for socket in sockets)


async def test_a_failed_publish_is_counted_and_the_lag_runs_from_the_first_hearing(
    observed: tuple[Publisher, Recording], monkeypatch: pytest.MonkeyPatch
) -> None:
    publisher, recording = observed
    monkeypatch.setattr(publisher_module, "RETRY_SECONDS", 0.2)
    poll = await make_poll()
    await publisher.connect(FakeSocket(), poll, None, "csrf")
    await settle(publisher)
    real_tallies_of, calls = poll_publishing.tallies_of, []

    async def failing_once(*args: Any, **given: Any) -> Any:
        calls.append(args)
        if len(calls) == 1:
            raise ConnectionError("database away")
        return await real_tallies_of(*args, **given)

    monkeypatch.setattr(poll_publishing, "tallies_of", failing_once)
    await publisher.on_change(poll.id)
    for _ in range(200):  # bounded wait for the retry to succeed
        if recording.publishes:
            break
        await asyncio.sleep(0.02)
    assert recording.failures == 1
    assert len(recording.publishes) == 1
    assert recording.publishes[0][0] >= 0.2  # waited for the retry, and says so


async def test_an_overflow_is_observed_once_per_socket_that_fell_behind(
    observed: tuple[Publisher, Recording],
) -> None:
    publisher, recording = observed
    poll = await make_poll()
    gate = asyncio.Event()
    stalled: Subscriber = await publisher.connect(FakeSocket(gate), poll, None, "csrf")
    await asyncio.sleep(0)  # its writer holds the full state, waiting on the socket
    for n in range(OUTBOX_SIZE * 3):
        stalled.client.offer(f"delta {n}")
    assert recording.overflows == 1  # later deltas wait for the pending full state
    gate.set()
    await settle(publisher)
    gate.clear()
    await asyncio.sleep(0)
    for n in range(OUTBOX_SIZE + 2):
        stalled.client.offer(f"delta {n}")
    assert recording.overflows == 2
    gate.set()
