"""Sockets that join together share one read: fifty students opening a room's page in the
same instant (its code just went up on the projector) cost the queries of one, and so do
fifty sockets joining a poll nobody here watched yet. Each still gets its full state."""

from __future__ import annotations

import asyncio

import pytest

from crowdsource.domain.models import Poll, Room, User
from crowdsource.domain.poll_input import PollSpec
from crowdsource.domain.room_input import QuestionSpec
from crowdsource.domain.room_queries import RoomNotFound
from crowdsource.domain.rooms import RoomCommands
from crowdsource.realtime.publisher import Publisher
from tests.helpers.factories import make_poll, make_user
from tests.helpers.queries import statements
from tests.helpers.realtime import settle
from tests.helpers.sockets import FakeSocket

pytestmark = pytest.mark.usefixtures("orm")

TOGETHER = 50


async def live_room(room_commands: RoomCommands, owner: User, name: str) -> tuple[Room, Poll]:
    """A room with a question on screen, and nobody here watching either yet."""
    room = await room_commands.create(owner, name)
    question = QuestionSpec(PollSpec("Which one is a prime?", ("4", "7", "9")))
    return room, await room_commands.add_question(room, owner, question, launch=True)


async def join_room(
    publisher: Publisher, room: Room, sockets: int
) -> tuple[list[FakeSocket], list[str]]:
    """`sockets` students' sockets asking for the room by its code and joining it at once,
    as its socket route does; the statements they sent."""

    async def join(socket: FakeSocket) -> None:
        found = await publisher.rooms.room_to_join(room.code)
        await publisher.rooms.connect(socket, found, None, "")

    joining = [FakeSocket() for _ in range(sockets)]
    with statements() as sql:
        await asyncio.gather(*(join(socket) for socket in joining))
    await settle(publisher)
    return joining, sql


async def test_a_rooms_students_joining_at_once_cost_one_read(
    publisher: Publisher, room_commands: RoomCommands
) -> None:
    owner = await make_user("Alex Owner")
    alone, _ = await live_room(room_commands, owner, "CS 101")
    together, question = await live_room(room_commands, owner, "CS 102")
    await settle(publisher)
    _, one = await join_room(publisher, alone, 1)
    sockets, fifty = await join_room(publisher, together, TOGETHER)
    assert sum('"rooms"' in statement for statement in one) == 2  # by code, then by id
    assert len(fifty) == len(one)  # the room, its questions, the question's ballots: once
    for socket in sockets:
        assert f'data-poll="{question.slug}"' in socket.sent[0]  # each its full state


async def test_a_poll_joined_at_once_is_read_once(publisher: Publisher) -> None:
    alone, together = await make_poll(), await make_poll()
    with statements() as one:
        await publisher.connect(FakeSocket(), alone, None, "csrf")
    sockets = [FakeSocket() for _ in range(TOGETHER)]
    with statements() as fifty:
        await asyncio.gather(
            *(publisher.connect(socket, together, None, "csrf") for socket in sockets)
        )
    await settle(publisher)
    assert one and len(fifty) == len(one)
    for socket in sockets:
        assert 'id="results"' in socket.sent[0] and together.question in socket.sent[0]


async def test_a_room_watched_here_is_found_by_its_code_and_forgotten_with_its_sockets(
    publisher: Publisher, room_commands: RoomCommands
) -> None:
    owner = await make_user("Alex Owner")
    room, _ = await live_room(room_commands, owner, "CS 101")
    assert publisher.stages.room_by_code(room.code) is None  # nobody here watches it
    socket = FakeSocket()
    subscriber = await publisher.rooms.connect(socket, room, None, "")
    found = publisher.stages.room_by_code(room.code)
    assert found is not None and found.id == room.id
    await publisher.disconnect(subscriber)
    assert publisher.stages.room_by_code(room.code) is None


async def test_an_unknown_code_asked_for_together_is_not_found_by_any(
    publisher: Publisher,
) -> None:
    with statements() as one, pytest.raises(RoomNotFound):
        await publisher.rooms.room_to_join("YYYYYY")
    asking = [publisher.rooms.room_to_join("ZZZZZZ") for _ in range(TOGETHER)]
    with statements() as fifty:
        results = await asyncio.gather(*asking, return_exceptions=True)
    assert all(isinstance(result, RoomNotFound) for result in results)
    read = [[statement for statement in sql if '"rooms"' in statement] for sql in (one, fifty)]
    assert len(read[0]) == len(read[1]) == 1
