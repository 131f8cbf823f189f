"""Coalescing per tick and rendering once per audience variant, whatever the viewers."""

from __future__ import annotations

import asyncio
import logging

import pytest

from crowdsource.domain import poll_store
from crowdsource.realtime import poll_publishing
from crowdsource.realtime.publisher import Publisher
from tests.helpers.factories import choice_ids, make_poll, make_user, store_vote
from tests.helpers.realtime import GatedTally, new_publisher, settle
from tests.helpers.roster_dom import is_roster_message
from tests.helpers.sockets import FakeSocket
from tests.helpers.waiting import wait_until

pytestmark = pytest.mark.usefixtures("orm")


def last_update(socket: FakeSocket) -> str:
    """The last message but the owner's #roster, told after its update on its own."""
    return next(m for m in reversed(socket.sent) if not is_roster_message(m))


async def test_one_render_per_variant_per_tick_for_many_viewers(publisher: Publisher) -> None:
    owner = await make_user("Owner")
    poll = await make_poll(owner)
    sockets = [FakeSocket() for _ in range(50)]
    for socket in sockets[:49]:
        await publisher.connect(socket, poll, None, "csrf")
    await publisher.connect(sockets[49], poll, owner, "csrf")
    first = (await choice_ids(poll))[0]
    await store_vote(poll, await make_user(), first)  # the first vote brings "Vote again"
    await publisher.on_change(poll.id)  # to the owner's controls: a full state of their own
    await settle(publisher)
    publisher.renders.clear()
    await store_vote(poll, await make_user(), first)
    await publisher.on_change(poll.id)
    await settle(publisher)
    assert publisher.renders["delta"] == 2  # counts-only and owner-with-voters: two variants
    assert publisher.renders["full"] == 0
    assert all('data-total-votes="2"' in last_update(socket) for socket in sockets)
    assert 'class="voter"' in last_update(sockets[49])  # the owner's, before its #roster
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


async def test_resync_all_brings_every_watched_poll_up_to_date(publisher: Publisher) -> None:
    poll = await make_poll()
    socket = FakeSocket()
    await publisher.connect(socket, poll, None, "csrf")
    await settle(publisher)
    await store_vote(poll, await make_user(), (await choice_ids(poll))[0])  # no event
    await publisher.resync_all()
    await settle(publisher)
    assert 'data-total-votes="1"' in socket.sent[-1]


async def test_stopping_closes_sockets_with_1012_so_browsers_reconnect() -> None:
    publisher = new_publisher()
    publisher.start()
    socket = FakeSocket()
    await publisher.connect(socket, await make_poll(), None, "csrf")
    await settle(publisher)
    await publisher.stop()
    await wait_until(lambda: socket.closed == 1012, what="the 1012 close")


async def test_a_publish_outlived_by_its_last_socket_keeps_no_snapshot(
    publisher: Publisher, monkeypatch: pytest.MonkeyPatch
) -> None:
    poll = await make_poll()
    subscriber = await publisher.connect(FakeSocket(), poll, None, "csrf")
    await settle(publisher)
    slow = GatedTally()
    monkeypatch.setattr(poll_publishing, "tallies_of", slow)
    await publisher.on_change(poll.id)
    await asyncio.wait_for(slow.entered.wait(), 2)
    await publisher.disconnect(subscriber)
    slow.gate.set()
    await settle(publisher)
    assert publisher.snapshot_of(poll.id) is None


async def test_a_poll_deleted_during_a_publish_is_published_without_error(
    publisher: Publisher, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    poll = await make_poll()
    socket = FakeSocket()
    await publisher.connect(socket, poll, await make_user(), "csrf")
    await settle(publisher)
    await store_vote(poll, await make_user("Voter"), (await choice_ids(poll))[0])
    slow = GatedTally()
    monkeypatch.setattr(poll_publishing, "tallies_of", slow)
    await publisher.on_change(poll.id)
    await asyncio.wait_for(slow.entered.wait(), 2)
    await poll.delete()  # its row and responses read by the publish already; its votes go
    slow.gate.set()
    await settle(publisher)
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]
    assert socket.closed is None  # published as read: the poll's own news is still to come
    await publisher.on_change(poll.id)  # the deletion's own announcement
    await settle(publisher)
    assert "deleted by its owner" in socket.sent[-1] and socket.closed == 1000
