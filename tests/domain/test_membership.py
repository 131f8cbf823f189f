"""Who votes in a room with a roster: judged in the ballot transaction, from the listed
logins and the GitHub organisations and teams read at sign-in."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest

from crowdsource.domain import clock
from crowdsource.domain.accounts import ProviderProfile, sign_in_with_profile
from crowdsource.domain.ballots import Ballot, store_ballots
from crowdsource.domain.kinds import Given
from crowdsource.domain.membership import NotOnRoster, memberships_of, refuse_guest_on_roster
from crowdsource.domain.models import Poll, Room, User, Vote
from crowdsource.domain.participation import roster_users
from crowdsource.domain.room_input import validate_question
from crowdsource.domain.rooms import RoomCommands
from crowdsource.domain.roster import validate_roster
from crowdsource.domain.roster_models import RoomRoster, RosterMember
from crowdsource.domain.roster_store import any_room_uses_an_org, roster_of
from crowdsource.web.urls import initials_avatar
from tests.helpers.announcer import RecordingAnnouncer, recorded_room_commands
from tests.helpers.factories import choice_ids, make_poll, make_user
from tests.helpers.queries import query_plan, statements
from tests.helpers.roster import github_user

pytestmark = pytest.mark.usefixtures("orm")


@dataclass
class Class:
    rooms: RoomCommands
    announced: RecordingAnnouncer
    owner: User
    room: Room
    poll: Poll


@pytest.fixture
async def course() -> AsyncIterator[Class]:
    rooms, announced, closing = recorded_room_commands()
    await closing.start()
    owner = await make_user("Alex Owner")
    room = await rooms.create(owner, "CS 101")
    spec = validate_question(question="Prime?", choices=["4", "7"], launch=True, now=clock.now())
    poll = await rooms.add_question(room, owner, spec, launch=True)
    yield Class(rooms, announced, owner, room, poll)
    await closing.stop()


async def cast(course: Class, *voters: User) -> list[object]:
    first = (await choice_ids(course.poll))[0]
    ballots = [Ballot(course.poll.id, v.id, Given((first,)), clock.now()) for v in voters]
    return list(await store_ballots(ballots))


async def set_roster(course: Class, members: str = "", org: str = "", team: str = "") -> None:
    await course.rooms.set_roster(course.room, validate_roster(members, org, team))


async def test_without_a_roster_everyone_votes(course: Class) -> None:
    guest = await make_user("Guest")
    assert not any(isinstance(o, NotOnRoster) for o in await cast(course, guest))


async def test_listed_logins_vote_others_are_told_who_may(course: Class) -> None:
    await set_roster(course, "Octo-Ada\nlinus@school")
    ada, linus = await github_user("octo-ada"), await github_user("linus@school")
    bob, guest = await github_user("bob"), await make_user("octo-ada")
    outcomes = await cast(course, ada, linus, bob, guest, course.owner)
    refused = [o for o in outcomes if isinstance(o, NotOnRoster)]
    assert len(refused) == 2 and "signed in as bob" in str(refused[0])
    assert "the people your instructor listed" in str(refused[0])
    assert str(refused[1]).endswith(f"signed in as {guest.login}.")  # guests never are
    voters = set(await Vote.filter(poll_id=course.poll.id).values_list("voter_id", flat=True))
    assert voters == {ada.id, linus.id, course.owner.id}


async def test_org_and_team_members_as_read_at_sign_in(course: Class) -> None:
    await set_roster(course, org="cs101", team="section-b")
    in_team = await github_user("ann", (("cs101", ""), ("cs101", "section-b")))
    org_only = await github_user("olga", (("cs101", ""),))
    other_team = await github_user("tim", (("cs101", "section-a"),))
    outcomes = await cast(course, in_team, org_only, other_team)
    assert [isinstance(o, NotOnRoster) for o in outcomes] == [False, True, True]
    assert "team “section-b” of the GitHub organisation “cs101”" in str(outcomes[1])
    await set_roster(course, org="cs101")
    assert [isinstance(o, NotOnRoster) for o in await cast(course, org_only, other_team)] == [
        False,
        False,
    ]


async def test_a_room_question_voted_from_its_poll_page_obeys_the_roster(course: Class) -> None:
    await set_roster(course, "octo-ada")
    (outcome,) = await cast(course, await github_user("bob"))  # no room_id: the poll's page
    assert isinstance(outcome, NotOnRoster)
    loose = await make_poll(course.owner)  # a poll outside any room: anyone
    first = (await choice_ids(loose))[0]
    bob = await github_user("bob2")
    (fine,) = await store_ballots([Ballot(loose.id, bob.id, Given((first,)), clock.now())])
    assert not isinstance(fine, NotOnRoster)


async def test_guests_are_refused_before_they_are_made(course: Class) -> None:
    await refuse_guest_on_roster(course.poll)  # no roster: nothing
    await set_roster(course, org="cs101")
    with pytest.raises(NotOnRoster, match="members of the GitHub organisation “cs101”"):
        await refuse_guest_on_roster(course.poll)


async def test_setting_replaces_announces_and_an_empty_roster_removes_it(course: Class) -> None:
    await set_roster(course, "ada\nbob", "CS101")
    assert (await roster_of(course.room)).members == ("ada", "bob")
    assert await any_room_uses_an_org()
    assert course.announced.rooms[-1] == course.room.id
    before = len(course.announced.rooms)
    assert not await course.rooms.set_roster(course.room, validate_roster("ada\nbob", "cs101", ""))
    assert len(course.announced.rooms) == before  # unchanged: nothing announced
    await set_roster(course)
    assert not (await roster_of(course.room)).active
    assert await RoomRoster.all().count() == 0 and await RosterMember.all().count() == 0
    assert not await any_room_uses_an_org()


async def test_memberships_are_replaced_at_each_sign_in_and_kept_when_unread() -> None:
    def profile(groups: tuple[tuple[str, str], ...] | None) -> ProviderProfile:
        return ProviderProfile("github", "77", "octo-ada", "Ada", "", groups=groups)

    user = await sign_in_with_profile(profile((("cs101", ""), ("cs101", "b"))), initials_avatar)
    assert (await memberships_of([user.id]))[user.id] == {("cs101", ""), ("cs101", "b")}
    await sign_in_with_profile(profile((("cs102", ""),)), initials_avatar)
    assert (await memberships_of([user.id]))[user.id] == {("cs102", "")}
    await sign_in_with_profile(profile(None), initials_avatar)  # GitHub did not say
    assert (await memberships_of([user.id]))[user.id] == {("cs102", "")}


async def test_a_roster_finds_its_members_by_an_index_not_a_scan_of_every_account(
    course: Class,
) -> None:
    """Members are matched ignoring case through the index on `lower(login)` (migration
    0008): without it, every account the server ever had was read (27 ms for a roster of
    1,000 among 100,000 accounts). PostgreSQL is asked with sequential scans ruled out."""
    await set_roster(course, "Octo-Ada\nlinus")
    ada = await github_user("octo-ada")
    with statements() as sql:
        listed, people = await roster_users(course.room.id)
    assert (sorted(listed), [person[0] for person in people]) == (["Octo-Ada", "linus"], [ada.id])
    (by_login,) = [statement for statement in sql if 'from "users"' in statement.lower()]
    assert "users_lower_login" in await query_plan(by_login)


async def test_a_long_roster_among_many_accounts_is_still_looked_up_login_by_login(
    course: Class,
) -> None:
    """The planner decides alone, the tables analysed. For 500 logins among 5,000 accounts,
    PostgreSQL read every account (it prices `lower()` like an addition; 30 ms for 1,000
    among 100,000 against 3 to 5 through the index): now each login is a lookup of its own."""
    await User.bulk_create(
        [
            User(
                provider="github",
                provider_id=f"many-{n}",
                login=f"Many-{n}",
                name="M",
                avatar_url="",
            )
            for n in range(5000)
        ],
        batch_size=1000,
    )
    await set_roster(course, "\n".join(f"many-{n}" for n in range(0, 5000, 10)))
    with statements() as sql:
        _, people = await roster_users(course.room.id)
    assert len(people) == 500
    (by_login,) = [statement for statement in sql if 'from "users"' in statement.lower()]
    plan = await query_plan(by_login, as_chosen=True)
    assert "users_lower_login" in plan
    assert "Seq Scan on users" not in plan and "SCAN users" not in plan
