"""A socket that left is freed by reference counting alone: nothing of it waits for the
garbage collector (docs/performance.md, "Garbage collection"). Each test runs with the
collector off, so an object kept alive by a reference cycle stays alive and fails it."""

from __future__ import annotations

import weakref
from collections.abc import Awaitable, Callable

import pytest

from crowdsource.domain.rooms import RoomCommands
from crowdsource.realtime.publisher import Publisher
from crowdsource.realtime.viewers import Subscriber
from tests.helpers.factories import choice_ids, make_poll, make_user
from tests.helpers.realtime import settle, vote_and_publish
from tests.helpers.sockets import FakeSocket

pytestmark = pytest.mark.usefixtures("orm")


async def assert_freed_once_it_leaves(
    publisher: Publisher,
    connecting: Awaitable[Subscriber],
    meanwhile: Callable[[], Awaitable[object]] | None = None,
) -> None:
    """Leaving its group is all it takes: the last reference gone, nothing of it is left
    (the socket is connected here, so that no caller holds a reference to it). `meanwhile`:
    what happens while it is connected."""
    subscriber = await connecting
    await settle(publisher)
    if meanwhile is not None:
        await meanwhile()
    subscriber_ref, client_ref = weakref.ref(subscriber), weakref.ref(subscriber.client)
    await publisher.disconnect(subscriber)
    del subscriber
    assert client_ref() is None
    assert subscriber_ref() is None


class Frames:
    """A connection that takes pre-framed messages (as `crowdsource serve`'s does)."""

    def __init__(self) -> None:
        self.written: list[bytes] = []
        self.callback: Callable[[], None] | None = None

    def frames_ready(self) -> bool:
        return True

    def frames_open(self) -> bool:
        return True

    def write_frame(self, frame: bytes) -> None:
        self.written.append(frame)

    def when_frames_ready(self, callback: Callable[[], None] | None) -> None:
        self.callback = callback


@pytest.mark.usefixtures("collector_off")
@pytest.mark.parametrize("takes_frames", [True, False], ids=["frames", "writer task"])
async def test_a_poll_socket_that_left_is_freed_without_a_collection(
    publisher: Publisher, takes_frames: bool
) -> None:
    poll = await make_poll()
    frames = Frames() if takes_frames else None
    connecting = publisher.connect(FakeSocket(), poll, None, "csrf", frames=frames)
    await assert_freed_once_it_leaves(publisher, connecting)


@pytest.mark.usefixtures("collector_off")
async def test_a_socket_that_a_publish_sorted_is_freed_once_it_leaves(
    publisher: Publisher,
) -> None:
    """A vote's publish keeps its sockets sorted by update for the next (audience_groups.py):
    that sorting must not outlive a socket that left."""
    poll = await make_poll()
    first = (await choice_ids(poll))[0]
    await publisher.connect(FakeSocket(), poll, None, "csrf", frames=Frames())  # still watched
    connecting = publisher.connect(FakeSocket(), poll, None, "csrf", frames=Frames())
    await assert_freed_once_it_leaves(
        publisher, connecting, lambda: vote_and_publish(publisher, poll, "Sorted", first)
    )


@pytest.mark.usefixtures("collector_off")
async def test_a_room_socket_that_left_is_freed_without_a_collection(
    publisher: Publisher, room_commands: RoomCommands
) -> None:
    room = await room_commands.create(await make_user("Alex Owner"), "CS 101")
    connecting = publisher.rooms.connect(FakeSocket(), room, None, "csrf", frames=Frames())
    await assert_freed_once_it_leaves(publisher, connecting)
