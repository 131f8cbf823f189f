"""A started publisher on the test database, stopped after the test; room commands that
announce to it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from crowdsource.domain.closing import CloseScheduler
from crowdsource.domain.polls import PollCommands
from crowdsource.domain.rooms import RoomCommands
from crowdsource.realtime.broker.in_memory import InMemoryBroker
from crowdsource.realtime.publisher import Publisher
from tests.helpers.realtime import new_publisher


@pytest.fixture
async def publisher(orm: object) -> AsyncIterator[Publisher]:
    publisher = new_publisher()
    publisher.start()
    yield publisher
    await publisher.stop()


@pytest.fixture
async def room_commands(publisher: Publisher) -> AsyncIterator[RoomCommands]:
    """Room commands wired to `publisher` as app.py wires them, through the one-process
    broker: what they announce reaches the publisher at once."""
    broker = InMemoryBroker()
    await broker.start(
        publisher.on_change,
        publisher.resync_all,
        publisher.sessions_ended,
        publisher.on_room_change,
        publisher.on_votes_changed,
    )
    closing = CloseScheduler(broker)
    yield RoomCommands(broker, closing, PollCommands(broker, closing))
    await broker.stop()
