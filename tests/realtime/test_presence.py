"""“N watching”: few updates when a class joins at once, counts from the other processes,
and no bookkeeping left behind for a poll nobody here watches."""

from __future__ import annotations

import asyncio

import pytest

from crowdsource.realtime import presence
from crowdsource.realtime.publisher import Publisher
from tests.helpers.factories import choice_ids, make_poll, make_user, store_vote
from tests.helpers.realtime import new_publisher, settle
from tests.helpers.sockets import FakeSocket
from tests.helpers.waiting import wait_until

pytestmark = pytest.mark.usefixtures("orm")


async def test_a_class_joining_at_once_gets_few_presence_updates(publisher: Publisher) -> None:
    poll = await make_poll()
    sockets = [FakeSocket() for _ in range(60)]
    for socket in sockets:
        await publisher.connect(socket, poll, None, "csrf")
        await asyncio.sleep(0.005)
    await wait_until(lambda: all("60 watching" in socket.sent[-1] for socket in sockets))
    assert publisher.renders["presence"] <= 3  # not one per join


async def test_a_large_audience_is_told_its_count_less_often(
    publisher: Publisher, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The interval grows with the audience, so sockets x seconds of a long join stay
    bounded: here 31 sockets at 15 a second are told every 2 s, not every second."""
    monkeypatch.setattr(presence, "PRESENCE_SOCKETS_PER_SECOND", 15)
    assert presence.presence_interval(10) == presence.PRESENCE_SECONDS
    assert presence.presence_interval(31) == pytest.approx(31 / 15)
    poll = await make_poll()
    sockets = [FakeSocket() for _ in range(30)]
    for socket in sockets:
        await publisher.connect(socket, poll, None, "csrf")
    await wait_until(lambda: all("30 watching" in "".join(socket.sent[-1:]) for socket in sockets))
    told = asyncio.get_running_loop().time()  # the count was sent at or before this
    await publisher.connect(FakeSocket(), poll, None, "csrf")
    await wait_until(lambda: "31 watching" in sockets[0].sent[-1], seconds=10)
    assert asyncio.get_running_loop().time() - told >= 1.5


class OtherProcesses:
    """A broker's presence as the publisher sees it: how many watch elsewhere, and what
    this process last reported. `hold` makes it hang, like a broker that stopped answering."""

    def __init__(self) -> None:
        self.elsewhere = 0
        self.reported: dict[int, int] = {}
        self.hold = asyncio.Event()
        self.hold.set()

    async def watching_elsewhere(self, poll_id: int, here: int) -> int:
        await self.hold.wait()
        self.reported[poll_id] = here
        return self.elsewhere


async def test_watching_counts_the_other_processes_and_reports_ours() -> None:
    others = OtherProcesses()
    publisher = new_publisher(watching_elsewhere=others.watching_elsewhere, presence_refresh=0.05)
    publisher.start()
    try:
        poll = await make_poll()
        sockets = [FakeSocket(), FakeSocket()]
        clients = [await publisher.connect(socket, poll, None, "csrf") for socket in sockets]
        await settle(publisher)
        assert "2 watching" in sockets[0].sent[-1]
        assert others.reported == {poll.id: 2}

        others.elsewhere = 5  # people opened the poll on another process
        # the exchange, then at most one presence update a second
        await wait_until(lambda: all("7 watching" in socket.sent[-1] for socket in sockets))
        late = FakeSocket()
        clients.append(await publisher.connect(late, poll, None, "csrf"))
        await settle(publisher)
        assert "8 watching" in late.sent[0]  # the full state counts them too

        for client in clients:
            await publisher.disconnect(client)
        # told once that nobody watches here any more
        await wait_until(lambda: others.reported == {poll.id: 0})
    finally:
        await publisher.stop()


async def test_a_broker_that_hangs_never_delays_results() -> None:
    others = OtherProcesses()
    others.hold.clear()
    publisher = new_publisher(watching_elsewhere=others.watching_elsewhere, presence_refresh=0.02)
    publisher.start()
    try:
        poll = await make_poll()
        socket = FakeSocket()
        await publisher.connect(socket, poll, None, "csrf")
        await settle(publisher)
        await store_vote(poll, await make_user(), (await choice_ids(poll))[0])
        await publisher.on_change(poll.id)
        await settle(publisher)
        assert 'data-total-votes="1"' in socket.sent[-1]
    finally:
        await publisher.stop()


async def test_a_poll_everyone_left_keeps_no_presence_entry(publisher: Publisher) -> None:
    poll = await make_poll()
    first = await publisher.connect(FakeSocket(), poll, None, "csrf")
    second = await publisher.connect(FakeSocket(), poll, None, "csrf")
    await settle(publisher)  # "2 watching" sent: the next count waits for its second
    await publisher.disconnect(first)
    await settle(publisher)  # "1 watching" is now due in under a second
    await publisher.disconnect(second)
    await asyncio.sleep(1.1)
    assert publisher.presence.tracked() == set()


async def test_an_exchange_answered_after_the_last_socket_left_keeps_nothing() -> None:
    others = OtherProcesses()
    others.hold.clear()
    publisher = new_publisher(watching_elsewhere=others.watching_elsewhere, presence_refresh=0.02)
    publisher.start()
    try:
        poll = await make_poll()
        subscriber = await publisher.connect(FakeSocket(), poll, None, "csrf")
        await settle(publisher)  # the exchange now waits for the broker
        await publisher.disconnect(subscriber)
        others.elsewhere = 5
        others.hold.set()
        await settle(publisher)
        assert publisher.presence.tracked() == set()
        assert publisher.presence.watching(poll.id) == 0
    finally:
        await publisher.stop()
