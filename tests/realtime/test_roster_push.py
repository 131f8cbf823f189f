"""#roster pushed with each vote: the same as the database's, read from the tally the
publish just read (no query of who answered or of the people seen), each member's row
rendered once per way it is shown."""

from __future__ import annotations

import re
from types import SimpleNamespace
from typing import Any

import pytest

from crowdsource.domain import participation
from crowdsource.domain.models import Poll, User, Vote
from crowdsource.domain.poll_input import PollSpec
from crowdsource.domain.room_input import QuestionSpec
from crowdsource.domain.rooms import RoomCommands
from crowdsource.realtime.publisher import Publisher
from crowdsource.realtime.roster_push import RosterPush
from tests.helpers.factories import choice_ids, make_poll, make_user, store_vote
from tests.helpers.realtime import fragments, settle
from tests.helpers.roster_dom import ROSTER, from_database, roster_dom, roster_messages
from tests.helpers.sockets import FakeSocket

pytestmark = pytest.mark.usefixtures("orm")

QUESTION = QuestionSpec(PollSpec("Which one is a prime?", ("4", "7", "9")))


async def watched(publisher: Publisher, **poll: Any) -> tuple[Poll, FakeSocket, list[User]]:
    """A poll, its owner's page socket and three signed-in students' sockets."""
    owner = await make_user("Alex Owner")
    made = await make_poll(owner, **poll)
    console = FakeSocket()
    await publisher.connect(console, made, owner, "csrf")
    students = [await make_user(name) for name in ("Ada", "Bob", "Cy")]
    for student in students:
        await publisher.connect(FakeSocket(), made, student, "csrf")
    await settle(publisher)
    return made, console, students


def pushed_roster(console: FakeSocket) -> str:
    """The last message that held #roster, or a vote's change to it."""
    return next(m for m in reversed(console.sent) if ROSTER in m or "roster-count" in m)


@pytest.mark.parametrize("show_voters", ["owner", "nobody"])
async def test_the_pushed_roster_is_the_databases(publisher: Publisher, show_voters: str) -> None:
    poll, console, (ada, _, _) = await watched(publisher, show_voters=show_voters)
    ids = await choice_ids(poll)
    await store_vote(poll, ada, ids[0])
    await store_vote(poll, await make_user("Never Connected"), ids[1])
    await publisher.on_change(poll.id)
    await settle(publisher)
    roster = pushed_roster(console)
    assert "2 of 4 answered" in roster
    assert roster == await from_database(publisher, poll)


async def test_a_vote_reads_neither_who_answered_nor_the_people_seen(
    publisher: Publisher, monkeypatch: pytest.MonkeyPatch
) -> None:
    poll, console, (ada, bob, _) = await watched(publisher)
    ids = await choice_ids(poll)

    def no_query(*args: object, **kwargs: object) -> None:
        raise AssertionError("the tally just read holds it")

    monkeypatch.setattr(participation, "answered_ids", no_query)
    monkeypatch.setattr(participation.User, "filter", no_query)
    rows: list[str] = []
    render = publisher.roster.fragments.render

    def counted(name: str, /, **context: Any) -> str:
        rows.extend([context["m"].login] if name == "partials/roster_member.html" else [])
        return render(name, **context)

    monkeypatch.setattr(publisher.roster.fragments, "render", counted)
    await store_vote(poll, ada, ids[0])
    await publisher.on_change(poll.id)
    await settle(publisher)
    assert "1 of 3 answered" in pushed_roster(console)
    rows.clear()
    await store_vote(poll, bob, ids[1])
    await publisher.on_change(poll.id)
    await settle(publisher)
    delta = pushed_roster(console)
    assert "2 of 3 answered" in delta
    assert rows == [bob.login]  # the one row that changed
    assert ROSTER not in delta and delta.count("data-member=") == 1  # and only it is sent
    assert f'data-member="{bob.login}"' in delta


async def publish(publisher: Publisher, poll: Poll) -> None:
    await publisher.on_change(poll.id)
    await settle(publisher)


async def test_a_vote_tells_the_owner_only_the_row_that_changed_and_the_count(
    publisher: Publisher,
) -> None:
    poll, console, (ada, bob, _) = await watched(publisher)
    for n in range(20):  # a larger class: the whole panel would hold 23 rows
        await publisher.connect(FakeSocket(), poll, await make_user(f"Student {n}"), "csrf")
    await settle(publisher)
    ids = await choice_ids(poll)
    await store_vote(poll, ada, ids[0])
    await publish(publisher, poll)
    whole = pushed_roster(console)
    assert ROSTER in whole and whole.count("data-member=") == 23  # first told: whole
    await store_vote(poll, bob, ids[1])
    await publish(publisher, poll)
    delta = pushed_roster(console)
    assert ROSTER not in delta and "2 of 23 answered" in delta
    assert re.findall(r'data-member="([^"]+)"', delta) == [bob.login]
    assert len(delta.encode()) < len(whole.encode()) / 4
    assert roster_dom(*roster_messages(console)) == roster_dom(await from_database(publisher, poll))


async def test_someone_who_answered_from_elsewhere_is_added_as_one_row(
    publisher: Publisher,
) -> None:
    """A voter on no socket here (on another process, or on a page without JavaScript):
    their row is added to the panel, not the whole panel sent again (a thousand rows to
    the owner for each such first vote); their vote taken back removes just that row."""
    poll, console, (ada, _, _) = await watched(publisher)
    for n in range(20):
        await publisher.connect(FakeSocket(), poll, await make_user(f"Student {n}"), "csrf")
    await settle(publisher)
    ids = await choice_ids(poll)
    await store_vote(poll, ada, ids[0])
    await publish(publisher, poll)  # first told: whole
    elsewhere = await make_user("Eve Elsewhere")
    await store_vote(poll, elsewhere, ids[1])
    await publish(publisher, poll)
    added = pushed_roster(console)
    assert ROSTER not in added and "2 of 24 answered" in added
    assert re.findall(r'data-member="([^"]+)"', added) == [elsewhere.login]
    assert 'hx-swap-oob="delete"' not in added  # no old row: nothing to remove
    assert roster_dom(*roster_messages(console)) == roster_dom(await from_database(publisher, poll))
    await Vote.filter(poll_id=poll.id, voter_id=elsewhere.id).delete()
    await publish(publisher, poll)
    removed = pushed_roster(console)
    assert ROSTER not in removed and "1 of 23 answered" in removed
    assert 'hx-swap-oob="delete"' in removed and "data-member=" not in removed
    assert roster_dom(*roster_messages(console)) == roster_dom(await from_database(publisher, poll))


@pytest.mark.parametrize("show_voters", ["owner", "nobody"])
async def test_after_votes_unvotes_and_newcomers_the_owner_sees_the_pages_roster(
    publisher: Publisher, show_voters: str
) -> None:
    poll, console, (ada, bob, cy) = await watched(publisher, show_voters=show_voters)
    ids = await choice_ids(poll)
    dee = await make_user("Dee")
    steps = [
        lambda: store_vote(poll, cy, ids[0]),
        lambda: store_vote(poll, ada, ids[1]),
        lambda: Vote.filter(poll_id=poll.id, voter_id=cy.id).delete(),  # cy takes it back
        lambda: publisher.connect(FakeSocket(), poll, dee, "csrf"),  # a newcomer
        lambda: store_vote(poll, bob, ids[0]),
        lambda: store_vote(poll, dee, ids[1]),
        lambda: Vote.filter(poll_id=poll.id, voter_id=ada.id).delete(),
        lambda: store_vote(poll, cy, ids[1]),
    ]
    for step in steps:
        await step()
        await publish(publisher, poll)
        told = roster_dom(*roster_messages(console))
        assert told == roster_dom(await from_database(publisher, poll))
    assert any(ROSTER not in m for m in roster_messages(console))  # deltas were told


def _sockets_of(walks: list[int], *users: User) -> Any:
    """Sockets of these users, as the publish hands them over; each walk is counted."""

    def walk() -> Any:
        walks.append(len(users))
        for user in users:
            yield SimpleNamespace(viewer=SimpleNamespace(user=user))

    return walk()


def test_the_sockets_are_walked_again_only_when_their_membership_changed() -> None:
    """A vote's publish does not look through 1,000 sockets for newcomers when nobody
    joined and no other room shows the question (`Snapshots.membership`)."""
    push = RosterPush(fragments())
    ada, bob = (User(id=n, login=f"s{n}", name=f"S {n}", avatar_url="") for n in (1, 2))
    walks: list[int] = []
    assert set(push.saw(7, _sockets_of(walks, ada), (1,))) == {1}
    assert set(push.saw(7, _sockets_of(walks, ada), (1,))) == {1}
    assert walks == [1]  # the same membership: not walked again
    assert set(push.saw(7, _sockets_of(walks, ada, bob), (2,))) == {1, 2}  # bob joined
    assert set(push.saw(7, _sockets_of(walks, ada, bob), (2, "room-3"))) == {1, 2}
    assert set(push.saw(7, _sockets_of(walks, ada, bob))) == {1, 2}  # a page: always walked
    assert walks == [1, 2, 2, 2]


async def test_a_room_showing_the_question_later_brings_its_people_to_the_roster(
    publisher: Publisher, room_commands: RoomCommands
) -> None:
    """The owner's own page of a room's prepared question was published (its sockets
    walked); then the room asks it: its students joined nobody, yet they are on the
    roster that the next vote pushes (the rooms showing it are part of the membership)."""
    owner = await make_user("Alex Owner")
    room = await room_commands.create(owner, "CS 101")
    first = await room_commands.add_question(room, owner, QUESTION, launch=True)
    next_one = QuestionSpec(PollSpec("Next?", ("A", "B")))
    later = await room_commands.add_question(room, owner, next_one, launch=False)
    students = [await make_user(name, github=True) for name in ("Ada", "Bob", "Cy")]
    for n, student in enumerate(students):
        await publisher.rooms.connect(FakeSocket(), room, student, f"token-{n}")
    console = FakeSocket()
    await publisher.connect(console, later, owner, "csrf")  # the prepared question's page
    await settle(publisher)
    # A publish of it now walks its sockets: only the owner's page shows it.
    snapshots = publisher.snapshots
    seen = publisher.roster.saw(
        later.id, snapshots.members(later.id), snapshots.membership(later.id)
    )
    assert set(seen) == {owner.id}
    assert first.id != later.id
    await room_commands.launch(room, later)
    await settle(publisher)
    await room_commands.cast_vote(room, later.slug, students[0], str((await choice_ids(later))[0]))
    await settle(publisher)
    told = roster_dom(*roster_messages(console))
    for student in students:
        assert any(f"{student.login}" in row for _, row in told.rows), (student.login, told.rows)
    assert 'data-answered-count="1" data-member-count="3"' in told.count


def test_the_missing_logins_are_joined_by_spaces_and_escaped() -> None:
    """The textarea to copy them from: each login as typed on the roster, markup escaped, in
    the panel. A vote's update leaves it to the page to fill from the rows, whose
    `data-member` carries the same text."""
    typed = participation.Member("<b>ada&co", "<b>ada&co", None, False)
    bob = participation.Member("bob", "Bob", None, False)
    cy = participation.Member("cy", "Cy", "https://example.org/cy.png", True)
    shown = participation.RosterStatus((typed, bob, cy), True)
    answered = participation.Member("bob", "Bob", None, True)
    now = participation.RosterStatus((typed, answered, cy), True)  # missing first, then by login
    push = RosterPush(fragments())
    expected = ">&lt;b&gt;ada&amp;co bob</textarea>"
    assert expected in push.render(shown)
    delta = push.render_delta(shown, now)
    assert 'id="roster-count"' in delta and "<b>" not in delta
    assert "roster-missing-logins" not in delta
    assert 'data-member="&lt;b&gt;ada&amp;co" data-answered="false"' in push.render(now)


def test_a_guest_is_shown_by_the_name_they_chose_marked_as_a_guest() -> None:
    """A guest's login ("guest~…") says nothing to the instructor: their row reads their
    name and "(guest)", its id and `data-member` still the login. A listed login reads as
    typed."""
    guest = participation.Member("guest~k3xq", "Maya <3", "/avatars/guest~k3xq.svg", True)
    listed = participation.Member("octo-ada", "Ada", None, False)
    panel = RosterPush(fragments()).render(participation.RosterStatus((listed, guest), False))
    row = panel[panel.index('data-member="guest~k3xq"') :]
    assert 'title="Maya &lt;3 (guest)"' in row
    assert '<span class="roster-login">Maya &lt;3 (guest)<span class="visually-hidden">' in row
    assert ">guest~k3xq<" not in panel
    assert '<span class="roster-login">octo-ada<span' in panel
