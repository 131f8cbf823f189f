"""Coalescing per tick and rendering once per audience variant, whatever the viewers."""

from __future__ import annotations

import asyncio

import pytest

from crowdsource.domain import poll_store
from crowdsource.realtime.hub import Hub
from crowdsource.realtime.publisher import Publisher
from tests.helpers.factories import choice_ids, make_poll, make_user, store_vote
from tests.helpers.sockets import FakeSocket

pytestmark = pytest.mark.usefixtures("orm")


async def settle(publisher: Publisher) -> None:
    for _ in range(5):
        await asyncio.sleep(publisher.tick * 2)


@pytest.fixture
async def publisher() -> Publisher:
    publisher = Publisher(Hub(), tick=0.02)
    publisher.start()
    yield publisher
    await publisher.stop()


async def test_one_render_per_variant_per_tick_for_many_viewers(publisher: Publisher) -> None:
    owner = await make_user("Owner")
    poll = await make_poll(owner)
    sockets = [FakeSocket() for _ in range(50)]
    for socket in sockets[:49]:
        await publisher.connect(socket, poll, None, "csrf")
    await publisher.connect(sockets[49], poll, owner, "csrf")
    await settle(publisher)
    publisher.renders.clear()
    first = (await choice_ids(poll))[0]
    await store_vote(poll, await make_user(), first)
    await publisher.on_change(poll.id)
    await settle(publisher)
    assert publisher.renders["delta"] == 2  # counts-only and owner-with-voters: two variants
    assert publisher.renders["full"] == 0
    assert all('data-total-votes="1"' in socket.sent[-1] for socket in sockets)
    assert 'class="voter"' in sockets[49].sent[-1]
    assert not any('class="voter"' in socket.sent[-1] for socket in sockets[:49])
    assert sockets[0].sent[-1] is sockets[1].sent[-1]  # the very same string for everyone


async def test_a_burst_of_changes_within_a_tick_is_coalesced(publisher: Publisher) -> None:
    poll = await make_poll()
    socket = FakeSocket()
    await publisher.connect(socket, poll, None, "csrf")
    await settle(publisher)
    publisher.renders.clear()
    before = len(socket.sent)
    ids = await choice_ids(poll)
    for n in range(30):
        await store_vote(poll, await make_user(f"S{n}"), ids[n % 3])
    for _ in range(30):  # thirty "changed" events inside one tick
        await publisher.on_change(poll.id)
    await settle(publisher)
    assert publisher.renders["delta"] == 1
    assert len(socket.sent) - before == 1
    assert 'data-total-votes="30"' in socket.sent[-1]


async def test_closing_sends_the_same_closed_state_to_everyone(publisher: Publisher) -> None:
    poll = await make_poll()
    sockets = [FakeSocket() for _ in range(5)]
    for socket in sockets:
        await publisher.connect(socket, poll, None, "csrf")
    await settle(publisher)
    publisher.renders.clear()
    await poll_store.close_poll(poll)
    await publisher.on_change(poll.id)
    await settle(publisher)
    assert publisher.renders["closed"] == 1
    assert all('data-state="closed"' in socket.sent[-1] for socket in sockets)


async def test_a_deleted_poll_tells_its_viewers_and_closes(publisher: Publisher) -> None:
    poll = await make_poll()
    socket = FakeSocket()
    await publisher.connect(socket, poll, None, "csrf")
    await settle(publisher)
    await poll.delete()
    await publisher.on_change(poll.id)
    await settle(publisher)
    assert "deleted by its owner" in socket.sent[-1]
    assert socket.closed == 1000


async def test_resync_all_brings_every_room_up_to_date(publisher: Publisher) -> None:
    poll = await make_poll()
    socket = FakeSocket()
    await publisher.connect(socket, poll, None, "csrf")
    await settle(publisher)
    await store_vote(poll, await make_user(), (await choice_ids(poll))[0])  # no event
    await publisher.resync_all()
    await settle(publisher)
    assert 'data-total-votes="1"' in socket.sent[-1]


async def test_stopping_closes_sockets_with_1012_so_browsers_reconnect() -> None:
    publisher = Publisher(Hub(), tick=0.02)
    publisher.start()
    socket = FakeSocket()
    await publisher.connect(socket, await make_poll(), None, "csrf")
    await settle(publisher)
    await publisher.stop()
    await asyncio.sleep(0.05)
    assert socket.closed == 1012


async def test_a_class_joining_at_once_gets_few_presence_updates(publisher: Publisher) -> None:
    poll = await make_poll()
    sockets = [FakeSocket() for _ in range(60)]
    for socket in sockets:
        await publisher.connect(socket, poll, None, "csrf")
        await asyncio.sleep(0.005)
    await asyncio.sleep(1.3)
    assert publisher.renders["presence"] <= 3  # not one per join
    assert all("60 watching" in socket.sent[-1] for socket in sockets)


async def test_a_reconnect_storm_renders_the_shared_state_once(publisher: Publisher) -> None:
    poll = await make_poll(show_voters="everyone")
    for n in range(5):
        await store_vote(poll, await make_user(f"S{n}"), (await choice_ids(poll))[0])
    sockets = [FakeSocket() for _ in range(40)]
    for socket in sockets:
        await publisher.connect(socket, poll, None, "csrf")
    await settle(publisher)
    assert publisher.renders["full"] == 1
    assert all(socket.sent[0].count('class="voter"') == 5 for socket in sockets)


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
    publisher = Publisher(
        Hub(), tick=0.02, watching_elsewhere=others.watching_elsewhere, presence_refresh=0.05
    )
    publisher.start()
    try:
        poll = await make_poll()
        sockets = [FakeSocket(), FakeSocket()]
        clients = [await publisher.connect(socket, poll, None, "csrf") for socket in sockets]
        await settle(publisher)
        assert "2 watching" in sockets[0].sent[-1]
        assert others.reported == {poll.id: 2}

        others.elsewhere = 5  # people opened the poll on another process
        await asyncio.sleep(1.2)  # the exchange, then at most one presence update a second
        assert all("7 watching" in socket.sent[-1] for socket in sockets)
        late = FakeSocket()
        clients.append(await publisher.connect(late, poll, None, "csrf"))
        await settle(publisher)
        assert "8 watching" in late.sent[0]  # the full state counts them too

        for client in clients:
            await publisher.disconnect(client)
        await asyncio.sleep(0.2)
        assert others.reported == {poll.id: 0}  # told once that nobody watches here any more
    finally:
        await publisher.stop()


async def test_a_broker_that_hangs_never_delays_results() -> None:
    others = OtherProcesses()
    others.hold.clear()
    publisher = Publisher(
        Hub(), tick=0.02, watching_elsewhere=others.watching_elsewhere, presence_refresh=0.02
    )
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
