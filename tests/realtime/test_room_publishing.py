"""Room sockets following the current question: one `#stage` message per socket per switch,
rendered once per audience; the host resynchronised when the list changes; a deleted
question sends the room back to waiting; a resync after a lost broker switches them too."""

from __future__ import annotations

import re

import pytest

from crowdsource.domain import room_store
from crowdsource.domain.closing import CloseScheduler
from crowdsource.domain.models import Poll, Room, User
from crowdsource.domain.poll_input import PollSpec
from crowdsource.domain.polls import PollCommands
from crowdsource.domain.room_input import QuestionSpec
from crowdsource.domain.rooms import RoomCommands
from crowdsource.realtime.fragments import PAGE, ROOM
from crowdsource.realtime.publisher import Publisher
from crowdsource.realtime.viewers import Subscriber
from tests.helpers.factories import choice_ids, make_user
from tests.helpers.realtime import settle
from tests.helpers.roster_dom import is_roster_message
from tests.helpers.sockets import FakeSocket, assert_swappable

pytestmark = pytest.mark.usefixtures("orm")

STAGE = re.compile(r'<section id="stage".*?</section>', re.DOTALL)
PRESENCE = '<p id="presence"'


def pushed(socket: FakeSocket) -> list[str]:
    """What a socket received, but for “N in the room” (sent on its own, up to a second
    after a socket joined) and the host's #roster (sent on its own after a full state)."""
    return [
        message
        for message in socket.sent
        if not message.startswith(PRESENCE) and not is_roster_message(message)
    ]


def last(socket: FakeSocket) -> str:
    return pushed(socket)[-1]


def question(text: str = "Which one is a prime?", *choices: str) -> QuestionSpec:
    return QuestionSpec(PollSpec(text, choices or ("4", "7", "9")))


class Screens:
    """A room's sockets by kind: signed-in students, signed-out visitors, projectors and
    the owner's console."""

    def __init__(self) -> None:
        self.students: list[FakeSocket] = []
        self.visitors: list[FakeSocket] = []
        self.projectors: list[FakeSocket] = []
        self.hosts: list[FakeSocket] = []

    @property
    def all(self) -> list[FakeSocket]:
        return [*self.students, *self.visitors, *self.projectors, *self.hosts]

    def counts(self) -> list[int]:
        return [len(pushed(socket)) for socket in self.all]

    def new_since(self, counts: list[int]) -> list[list[str]]:
        return [pushed(socket)[n:] for socket, n in zip(self.all, counts, strict=True)]


async def open_screens(
    publisher: Publisher, room: Room, owner: User, students: int = 6, visitors: int = 3
) -> Screens:
    screens = Screens()
    for n in range(students):
        socket = FakeSocket()
        await publisher.rooms.connect(socket, room, await make_user(f"S{n}"), f"token-{n}")
        screens.students.append(socket)
    for _ in range(visitors):
        screens.visitors.append(FakeSocket())
        await publisher.rooms.connect(screens.visitors[-1], room, None, "")
    for _ in range(2):
        screens.projectors.append(FakeSocket())
        await publisher.rooms.connect(screens.projectors[-1], room, None, "", ROOM)
    screens.hosts.append(FakeSocket())
    await publisher.rooms.connect(screens.hosts[-1], room, owner, "host-token", host=True)
    await settle(publisher)
    return screens


@pytest.fixture
async def owner() -> User:
    return await make_user("Alex Owner")


@pytest.fixture
async def room(room_commands: RoomCommands, owner: User) -> Room:
    return await room_commands.create(owner, "CS 101")


async def test_a_launch_is_one_stage_message_per_socket_rendered_once_per_audience(
    publisher: Publisher, room_commands: RoomCommands, room: Room, owner: User
) -> None:
    screens = await open_screens(publisher, room, owner)
    before = screens.counts()
    publisher.renders.clear()
    poll = await room_commands.add_question(room, owner, question(), launch=True)
    await settle(publisher)
    for received in screens.new_since(before):
        (switch,) = [message for message in received if 'id="stage"' in message]
        assert f'data-poll="{poll.slug}"' in switch  # one message, with everything in it
        assert 'data-total-votes="0"' in switch
        assert_swappable(switch)
    assert publisher.renders["stage"] == 2  # the students' page, the projector: one each
    assert publisher.renders["vote panel"] == 2  # signed in (a slot for the token), signed out
    assert publisher.renders["host"] == 1
    assert publisher.renders["personal"] == 0  # nothing rendered per student
    stages = {STAGE.search(last(socket)).group(0) for socket in screens.students}  # type: ignore[union-attr]
    assert len(stages) == 1  # the same #stage for every student
    for n, socket in enumerate(screens.students):
        assert f'value="token-{n}"' in last(socket)  # but each their own form's token
        assert last(socket).count("token-") == 1
    for socket in screens.visitors:
        assert "Sign in to vote" in last(socket)
    assert not any('id="vote-form"' in last(socket) for socket in screens.projectors)


async def test_switching_questions_moves_the_votes_with_them(
    publisher: Publisher, room_commands: RoomCommands, room: Room, owner: User
) -> None:
    screens = await open_screens(publisher, room, owner, students=2, visitors=0)
    first = await room_commands.add_question(room, owner, question(), launch=True)
    await settle(publisher)
    voter = await make_user("Voter")
    await room_commands.cast_vote(room, first.slug, voter, str((await choice_ids(first))[1]))
    await settle(publisher)
    assert all('data-total-votes="1"' in last(socket) for socket in screens.all)
    second = await room_commands.add_question(room, owner, question("Next?", "A", "B"), launch=True)
    await settle(publisher)
    for socket in screens.all:
        assert f'data-poll="{second.slug}"' in last(socket)
        assert 'data-total-votes="0"' in last(socket)
    await room_commands.cast_vote(room, second.slug, voter, str((await choice_ids(second))[0]))
    await settle(publisher)  # the first vote: the host gets "Vote again" (a full state)
    assert all('data-total-votes="1"' in last(socket) for socket in screens.all)
    publisher.renders.clear()
    other = await make_user("Other")
    await room_commands.cast_vote(room, second.slug, other, str((await choice_ids(second))[1]))
    await settle(publisher)
    assert all('data-total-votes="2"' in last(socket) for socket in screens.all)
    assert publisher.renders["delta"] == 3  # students' page, projector, owner (with voters)
    assert publisher.snapshot_of(first.id) is None  # nobody here shows the first any more


async def test_the_last_room_socket_leaving_drops_the_room_and_its_question(
    publisher: Publisher, room_commands: RoomCommands, room: Room, owner: User
) -> None:
    poll = await room_commands.add_question(room, owner, question(), launch=True)
    subscribers: list[Subscriber] = [
        await publisher.rooms.connect(FakeSocket(), room, None, "", surface)
        for surface in (PAGE, ROOM)
    ]
    await settle(publisher)
    assert publisher.snapshot_of(poll.id) is not None
    await publisher.disconnect(subscribers[0])
    assert publisher.snapshot_of(poll.id) is not None  # the projector still shows it
    await publisher.disconnect(subscribers[1])
    assert publisher.snapshot_of(poll.id) is None
    assert publisher.stages.view(room.id) is None and publisher.stages.rooms() == []


async def test_a_deleted_current_question_sends_every_screen_back_to_waiting(
    publisher: Publisher, room_commands: RoomCommands, room: Room, owner: User
) -> None:
    poll = await room_commands.add_question(room, owner, question(), launch=True)
    screens = await open_screens(publisher, room, owner, students=2, visitors=1)
    await room_commands.delete_question(room, poll)
    await settle(publisher)
    for socket in screens.all:
        assert 'data-poll=""' in last(socket)
        assert socket.closed is None  # the room lives on: only the question went
    assert "Waiting for the next question" in last(screens.students[0])
    assert publisher.snapshot_of(poll.id) is None


async def test_a_question_deleted_behind_the_rooms_back_is_shown_as_waiting(
    publisher: Publisher, room_commands: RoomCommands, room: Room, owner: User
) -> None:
    """The room still names the question when its publish reads it (or it was deleted by
    another path): the screens wait instead of showing a question that is gone."""
    poll = await room_commands.add_question(room, owner, question(), launch=True)
    screens = await open_screens(publisher, room, owner, students=1, visitors=1)
    await Poll.filter(id=poll.id).delete()  # the room's current goes with it (SET NULL)
    await publisher.on_room_change(room.id)
    await settle(publisher)
    assert all('data-poll=""' in last(socket) for socket in screens.all)


async def test_the_host_is_resynchronised_when_the_list_changes_and_nobody_else(
    publisher: Publisher, room_commands: RoomCommands, room: Room, owner: User
) -> None:
    await room_commands.add_question(room, owner, question(), launch=True)
    screens = await open_screens(publisher, room, owner, students=2, visitors=1)
    before = screens.counts()
    publisher.renders.clear()
    later = await room_commands.add_question(room, owner, question("Later?"), launch=False)
    await settle(publisher)
    received = dict(zip(screens.all, screens.new_since(before), strict=True))
    assert [len(received[socket]) for socket in screens.hosts] == [1]
    assert f'data-question="{later.slug}"' in received[screens.hosts[0]][0]
    assert not any(received[socket] for socket in screens.all if socket not in screens.hosts)
    assert publisher.renders["host"] == 1 and publisher.renders["stage"] == 0


async def test_a_resync_switches_room_sockets_that_missed_a_launch(
    publisher: Publisher, room_commands: RoomCommands, room: Room, owner: User
) -> None:
    """What the broker's `on_resync` does after a reconnect: a launch announced while this
    process was not listening still reaches its room sockets."""
    screens = await open_screens(publisher, room, owner, students=2, visitors=1)
    missed = await room_store.add_question(room, owner, question().poll, draft=False, duration=None)
    await room_store.make_current(room, missed)  # stored; the announcement never arrived
    await settle(publisher)
    assert all('data-poll=""' in last(socket) for socket in screens.all)
    await publisher.resync_all()
    await settle(publisher)
    for socket in screens.all:
        assert f'data-poll="{missed.slug}"' in last(socket)


async def test_waiting_screens_share_one_waiting_notice_per_surface(
    publisher: Publisher, room: Room, owner: User
) -> None:
    publisher.renders.clear()
    screens = await open_screens(publisher, room, owner, students=4, visitors=4)
    assert publisher.renders["stage"] == 2  # page and projector, whoever waits
    assert all("Waiting for the next question" in pushed(s)[0] for s in screens.students)


async def test_the_shared_vote_panel_carries_each_students_own_token_and_choice(
    publisher: Publisher, room_commands: RoomCommands, room: Room, owner: User
) -> None:
    poll = await room_commands.add_question(room, owner, question(), launch=True)
    ada, bob, cy = [await make_user(name) for name in ("Ada", "Bob", "Cy")]
    seven = (await choice_ids(poll))[1]
    await room_commands.cast_vote(room, poll.slug, ada, str(seven))
    await room_commands.cast_vote(room, poll.slug, bob, str(seven))
    sockets = {name: FakeSocket() for name in ("ada", "bob", "cy")}
    publisher.renders.clear()
    await publisher.rooms.connect(sockets["ada"], room, ada, "ada-token")
    await publisher.rooms.connect(sockets["bob"], room, bob, "bob-token")
    await publisher.rooms.connect(sockets["cy"], room, cy, 'cy"<token>')
    await settle(publisher)
    panels = {name: pushed(socket)[0] for name, socket in sockets.items()}
    assert 'value="ada-token"' in panels["ada"] and "bob-token" not in panels["ada"]
    assert 'value="bob-token"' in panels["bob"] and "ada-token" not in panels["bob"]
    assert 'value="cy&quot;&lt;token&gt;"' in panels["cy"] and '"<token>' not in panels["cy"]
    for name in ("ada", "bob"):
        assert f'value="{seven}" required checked' in panels[name]
        assert "Change my vote" in panels[name]
    assert "checked" not in panels["cy"] and "Change my vote" not in panels["cy"]
    assert publisher.renders["vote panel"] == 2  # voted for 7, not voted yet
    assert "csrf-" not in "".join(panels.values())  # no slot left unfilled


class OneByOne:
    """An announcer that lets the publisher publish each piece of news before the next, as
    another process hearing them through Redis may."""

    def __init__(self, publisher: Publisher) -> None:
        self.publisher = publisher

    async def poll_changed(self, poll_id: int) -> None:
        await self.publisher.on_change(poll_id)
        await settle(self.publisher)

    async def votes_changed(self, poll_id: int, voters: frozenset[int] | None = None) -> None:
        await self.publisher.on_votes_changed(poll_id, voters)
        await settle(self.publisher)

    async def room_changed(self, room_id: int) -> None:
        await self.publisher.on_room_change(room_id)
        await settle(self.publisher)

    async def sessions_ended(self, user_id: int) -> None:
        await self.publisher.sessions_ended(user_id)


async def test_a_launch_heard_piece_by_piece_is_still_one_message_per_socket(
    publisher: Publisher, room: Room, owner: User
) -> None:
    """The room's news goes out before the closed question's: a process that publishes
    each as it arrives switches its screens first, instead of first pushing the old
    question's closed state to every student."""
    announcer = OneByOne(publisher)
    closing = CloseScheduler(announcer)
    rooms = RoomCommands(announcer, closing, PollCommands(announcer, closing))
    first = await rooms.add_question(room, owner, question(), launch=True)
    screens = await open_screens(publisher, room, owner, students=3, visitors=1)
    await rooms.cast_vote(
        room, first.slug, await make_user("Ada"), str((await choice_ids(first))[0])
    )
    before = screens.counts()
    second = await rooms.add_question(room, owner, question("Next?"), launch=True)
    for received in screens.new_since(before):
        assert len(received) == 1 and f'data-poll="{second.slug}"' in received[0]
