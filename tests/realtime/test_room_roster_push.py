"""#roster of a room with a roster, pushed with each vote: the room's roster is read when a
question's roster is first built, then again only when it may have changed (the room's news,
someone new to it, the broker's reconnect, a read older than `ROSTER_REREAD_SECONDS`), and
what the owner sees after every vote is the page's #roster."""

from __future__ import annotations

import pytest

from crowdsource.domain import kept_roster, participation
from crowdsource.domain.models import Poll, Room, User
from crowdsource.domain.poll_input import PollSpec
from crowdsource.domain.room_input import QuestionSpec
from crowdsource.domain.rooms import RoomCommands
from crowdsource.domain.roster import RosterSpec
from crowdsource.domain.roster_models import GitHubMembership
from crowdsource.realtime.publisher import Publisher
from tests.helpers.factories import choice_ids, make_user
from tests.helpers.realtime import settle
from tests.helpers.roster import github_user
from tests.helpers.roster_dom import RosterDom, from_database, roster_dom, roster_messages
from tests.helpers.sockets import FakeSocket

pytestmark = pytest.mark.usefixtures("orm")

QUESTION = QuestionSpec(PollSpec("Which one is a prime?", ("4", "7", "9")))


class Classroom:
    """A room whose roster lists four GitHub students and a login never signed in; its
    question asked; the host console and two students' sockets on it. `reads` holds each
    read of a room's roster (the page's own reads, `page_roster`, left out)."""

    def __init__(self, publisher: Publisher, commands: RoomCommands, reads: list[int]) -> None:
        self.publisher, self.commands, self.reads = publisher, commands, reads
        self.console = FakeSocket()

    async def open(self) -> Classroom:
        owner = await make_user("Alex Owner")
        self.room: Room = await self.commands.create(owner, "CS 101")
        self.students: list[User] = [
            await github_user(f"octo-{name}") for name in ("ada", "bob", "cy", "dee")
        ]
        await self.set_roster(*(student.login for student in self.students), "never-signed-in")
        self.poll: Poll = await self.commands.add_question(self.room, owner, QUESTION, launch=True)
        self.choices = [str(choice) for choice in await choice_ids(self.poll)]
        await self.publisher.rooms.connect(self.console, self.room, owner, "csrf", host=True)
        for student in self.students[:2]:
            await self.publisher.rooms.connect(FakeSocket(), self.room, student, "csrf")
        await settle(self.publisher)
        return self

    async def set_roster(self, *logins: str, org: str = "") -> None:
        await self.commands.set_roster(self.room, RosterSpec(tuple(logins), github_org=org))
        await settle(self.publisher)

    async def vote(self, student: User, choice: int = 0) -> None:
        await self.commands.cast_vote(self.room, self.poll.slug, student, self.choices[choice])
        await settle(self.publisher)

    def told(self) -> RosterDom:
        """#roster as the console's browser holds it after every message it was sent."""
        return roster_dom(*roster_messages(self.console))

    async def page_roster(self) -> RosterDom:
        kept = len(self.reads)
        page = await from_database(self.publisher, self.poll)
        del self.reads[kept:]
        return roster_dom(page)


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Each room whose roster is read, in order."""
    found: list[int] = []
    read = participation.roster_users

    async def counted(room_id: int) -> tuple[list[str], list[participation.Person]] | None:
        found.append(room_id)
        return await read(room_id)

    monkeypatch.setattr(participation, "roster_users", counted)
    return found


@pytest.fixture
async def classroom(
    publisher: Publisher, room_commands: RoomCommands, reads: list[int]
) -> Classroom:
    return await Classroom(publisher, room_commands, reads).open()


async def test_votes_read_the_room_s_roster_once_and_the_owner_sees_the_page_s(
    classroom: Classroom,
) -> None:
    ada, bob, cy, dee = classroom.students
    classroom.reads.clear()
    steps = [(ada, 0), (bob, 1), (cy, 1), (ada, 2), (dee, 0), (bob, 0)]  # cy, dee: no socket
    for student, choice in steps:
        await classroom.vote(student, choice)
        assert classroom.told() == await classroom.page_roster()
    assert "4 of 5 answered" in classroom.told().count
    assert classroom.reads == [classroom.room.id]  # built whole once, then followed


async def test_the_roster_edited_is_read_again_at_the_next_vote(classroom: Classroom) -> None:
    ada, bob, cy, _ = classroom.students
    await classroom.vote(ada)
    await classroom.set_roster(ada.login, bob.login, "late-comer")  # cy and dee struck off
    classroom.reads.clear()
    await classroom.vote(bob)
    told = classroom.told()
    assert told == await classroom.page_roster()
    assert "2 of 3 answered" in told.count and "late-comer" in told.missing  # type: ignore[operator]
    assert not any(cy.login in row for _, row in told.rows)
    assert classroom.reads == [classroom.room.id]


async def test_a_listed_student_signing_in_for_the_first_time_is_placed_at_their_vote(
    classroom: Classroom,
) -> None:
    """Their sign-in happened where this process did not see it (no socket here): their
    vote names someone neither on the roster as read nor known off it."""
    await classroom.vote(classroom.students[0])
    await classroom.set_roster(*(s.login for s in classroom.students), "octo-eve")
    await classroom.vote(classroom.students[1])
    eve = await github_user("octo-eve")
    await classroom.vote(eve)
    told = classroom.told()
    assert told == await classroom.page_roster()
    assert 'data-member="octo-eve" data-answered="true"' in "".join(r for _, r in told.rows)
    assert "has not signed in yet" not in next(r for _, r in told.rows if "octo-eve" in r)


async def test_people_off_the_roster_read_it_again_only_when_new_to_it(
    classroom: Classroom,
) -> None:
    """Cy voted, then was struck off: their ballot stays, their socket joins later; Dee,
    struck off too, was never seen here until their socket joins."""
    ada, bob, cy, dee = classroom.students
    await classroom.vote(cy)
    await classroom.set_roster(ada.login, bob.login)
    await classroom.vote(ada)  # read again after the edit: Cy known off it from now on
    classroom.reads.clear()
    await classroom.publisher.rooms.connect(FakeSocket(), classroom.room, cy, "csrf")
    await classroom.vote(bob)
    assert classroom.reads == []
    assert classroom.told() == await classroom.page_roster()
    await classroom.publisher.rooms.connect(FakeSocket(), classroom.room, dee, "csrf")
    await classroom.vote(ada, 1)
    assert classroom.reads == [classroom.room.id]  # someone new on the sockets
    await classroom.vote(bob, 2)
    assert classroom.reads == [classroom.room.id]
    assert classroom.told() == await classroom.page_roster()


async def test_a_student_who_joined_the_organisation_since_is_placed_at_their_vote(
    classroom: Classroom,
) -> None:
    """Eve was on the room's page before she joined the course's GitHub organisation:
    known off the roster. She joins it, signs in again (her groups read afresh) and votes:
    her row comes with that vote, not at a later one."""
    ada, bob, _, _ = classroom.students
    eve = await github_user("octo-eve")
    await classroom.set_roster(ada.login, bob.login, org="cs101")
    await classroom.publisher.rooms.connect(FakeSocket(), classroom.room, eve, "csrf")
    await classroom.vote(ada)  # read again after the edit: Eve on the sockets, off it
    classroom.reads.clear()
    await GitHubMembership.create(user=eve, org="cs101", team="")  # her sign-in, again
    await classroom.vote(eve)
    told = classroom.told()
    assert classroom.reads == [classroom.room.id]
    assert told == await classroom.page_roster()
    assert 'data-member="octo-eve" data-answered="true"' in "".join(r for _, r in told.rows)


async def test_a_reconnected_broker_has_every_roster_read_again(classroom: Classroom) -> None:
    await classroom.vote(classroom.students[0])
    classroom.reads.clear()
    await classroom.publisher.resync_all()  # news may have been missed meanwhile
    await settle(classroom.publisher)
    await classroom.vote(classroom.students[1])
    assert classroom.reads and set(classroom.reads) == {classroom.room.id}
    assert classroom.told() == await classroom.page_roster()


async def test_a_sign_in_seen_nowhere_shows_once_the_read_is_old_enough(
    classroom: Classroom, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A listed student signs in on another process and does not vote: their picture
    comes with the first vote after `ROSTER_REREAD_SECONDS`."""
    await classroom.vote(classroom.students[0])
    await classroom.set_roster(*(s.login for s in classroom.students), "octo-fay")
    await classroom.vote(classroom.students[1])
    await github_user("octo-fay")
    monkeypatch.setattr(kept_roster, "ROSTER_REREAD_SECONDS", 0.0)
    classroom.reads.clear()
    await classroom.vote(classroom.students[2])
    told = classroom.told()
    assert classroom.reads == [classroom.room.id]
    assert told == await classroom.page_roster()
    assert "has not signed in yet" not in next(r for _, r in told.rows if "octo-fay" in r)
