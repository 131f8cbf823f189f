"""The one-process broker: changes straight to the listener, nobody elsewhere."""

from __future__ import annotations

from crowdsource.realtime.broker.in_memory import InMemoryBroker
from tests.helpers.broker import Recorder


async def test_a_change_goes_straight_to_the_listener_until_stopped() -> None:
    broker, heard = InMemoryBroker(), Recorder()
    await broker.poll_changed(1)  # nobody listens yet: nothing to deliver, nothing raised
    await broker.start(heard.on_change, heard.on_resync)
    await broker.poll_changed(2)
    assert await heard.next_change() == 2
    await broker.stop()
    await broker.poll_changed(3)
    assert heard.no_change_yet()


async def test_the_in_memory_broker_has_nobody_elsewhere() -> None:
    assert await InMemoryBroker().watching_elsewhere(1, 3) == 0


async def test_a_sign_out_goes_straight_to_its_listener_when_there_is_one() -> None:
    broker, heard = InMemoryBroker(), Recorder()
    await broker.sessions_ended(1)  # nobody listens yet: nothing raised
    await broker.start(heard.on_change, heard.on_resync, heard.on_sessions_ended)
    await broker.sessions_ended(7)
    assert await heard.next_sessions_ended() == 7
    assert heard.no_change_yet()
    await broker.stop()
    await broker.sessions_ended(8)
    assert heard.sessions_ended.empty()


async def test_a_process_that_does_not_listen_for_sign_outs_ignores_them() -> None:
    broker, heard = InMemoryBroker(), Recorder()
    await broker.start(heard.on_change, heard.on_resync)
    await broker.sessions_ended(7)
    await broker.poll_changed(2)
    assert await heard.next_change() == 2


async def test_a_room_change_goes_straight_to_its_listener_until_stopped() -> None:
    broker, heard = InMemoryBroker(), Recorder()
    await broker.room_changed(1)  # nobody listens yet: nothing raised
    await broker.start(heard.on_change, heard.on_resync, None, heard.on_room_changed)
    await broker.room_changed(4)
    assert await heard.next_room_change() == 4
    assert heard.no_change_yet()
    await broker.stop()
    await broker.room_changed(5)
    assert heard.room_changes.empty()


async def test_news_of_ballots_goes_to_its_own_listener_else_to_the_changes() -> None:
    broker, heard = InMemoryBroker(), Recorder()
    await broker.start(heard.on_change, heard.on_resync, None, None, heard.on_votes_changed)
    await broker.votes_changed(5, frozenset({9, 10}))
    assert await heard.next_ballots() == 5
    await broker.votes_changed(5)
    assert await heard.next_ballots() == 5
    assert heard.voters == [frozenset({9, 10}), None]  # whose ballots, as each said
    assert heard.no_change_yet()
    await broker.stop()
    plain, heard_plain = InMemoryBroker(), Recorder()
    await plain.start(heard_plain.on_change, heard_plain.on_resync)
    await plain.votes_changed(6, frozenset({9}))
    assert await heard_plain.next_change() == 6
    await plain.votes_changed(7)
    await plain.stop()
    await plain.votes_changed(8)  # stopped: nothing delivered, nothing raised
    assert await heard_plain.next_change() == 7 and heard_plain.no_change_yet()
