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
