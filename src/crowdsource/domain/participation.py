"""Who has answered a question, and who should have: the roster of the room (its listed
logins and the members of its GitHub organisation or team who have signed in), or, for a
question without roster, the people the caller saw (those connected to it). What is shown
is only *that* each person answered, never what: it serves `show_voters=nobody` too."""

from __future__ import annotations

import itertools
import unicodedata
from bisect import bisect_left
from collections.abc import Collection, Iterable, Mapping, Set
from dataclasses import dataclass, field
from functools import cached_property
from operator import attrgetter, itemgetter
from typing import TYPE_CHECKING

from crowdsource.domain.accounts import is_guest
from crowdsource.domain.models import Answer, Pick, Poll, User, Vote
from crowdsource.domain.roster import member_key
from crowdsource.domain.roster_accounts import PERSON_FIELDS, Person, listed_people, people, person
from crowdsource.domain.roster_models import (
    GitHubMembership,
    Participation,
    RoomRoster,
    RosterMember,
)
from crowdsource.domain.tally import NO_VOTER, Tally

if TYPE_CHECKING:
    from crowdsource.domain.kept_roster import KeptRoster


@dataclass(frozen=True)
class Member:
    """One person of the roster: `login` as shown (`data-member`), their picture and name
    once they have signed in (None before), and whether they answered the question."""

    login: str
    name: str
    avatar_url: str | None
    answered: bool


@dataclass(frozen=True)
class RowChange:
    """A member whose row changed, to draw after `before` (None: first) in the new order;
    `was_shown`: their old row is removed first (a newcomer has none)."""

    member: Member
    before: Member | None
    was_shown: bool


@dataclass(frozen=True)
class Followed:
    """How a status was followed from the status stamped `since` (`KeptRoster`): the rows
    that changed, in the new order (each one's `before` already in place when it is drawn),
    and the members gone. What a vote changed, without comparing 1,000 members."""

    since: int
    changes: tuple[RowChange, ...]
    gone: tuple[Member, ...]


_stamps = itertools.count(1)


@dataclass(frozen=True)
class RosterStatus:
    """The roster of one question: its members (missing ones first, then by `order_key`), and
    whether it is the room's roster (False: the people seen in the room this session).
    `stamp` tells one status from another; `followed`, how it came from an earlier one."""

    members: tuple[Member, ...]
    from_roster: bool
    followed: Followed | None = field(default=None, compare=False, repr=False)
    stamp: int = field(default_factory=lambda: next(_stamps), compare=False, repr=False)

    @property
    def total(self) -> int:
        return len(self.members)

    @cached_property  # read a few times per render of 1,000 members
    def answered(self) -> int:
        return self.total - self._missing_count

    @cached_property
    def missing(self) -> tuple[str, ...]:
        return tuple(member.login for member in self.members[: self._missing_count])

    @cached_property
    def _missing_count(self) -> int:
        """The missing come first: where those who answered begin."""
        return bisect_left(self.members, True, key=attrgetter("answered"))


async def answered_ids(poll_ids: Collection[int]) -> set[tuple[int, int]]:
    """(poll, voter) of everyone who answered these questions, whatever the kind (and
    without reading any choice: in `show_voters=nobody` questions, participation)."""
    if not poll_ids:
        return set()
    found: set[tuple[int, int]] = set()
    for model in (Vote, Pick, Answer, Participation):
        rows = await model.filter(poll_id__in=poll_ids).values_list("poll_id", "voter_id")
        found.update((int(poll), int(voter)) for poll, voter in rows)
    return found


async def roster_users(room_id: int) -> tuple[list[str], list[Person]] | None:
    """The room's roster: the listed logins (as typed) and the people on it who have signed
    in (listed, or in its organisation or team); None when the room has no roster. Rows,
    not models: a roster of 1,000 is read in a fifth of the time."""
    setting = await RoomRoster.get_or_none(room_id=room_id)
    if setting is None:
        return None
    listed = [
        str(x) for x in await RosterMember.filter(room_id=room_id).values_list("login", flat=True)
    ]
    keys = {login.lower() for login in listed}  # logins are ASCII: lower() is casefold()
    users = await listed_people(keys)
    if setting.github_org:
        grouped = GitHubMembership.filter(org=setting.github_org)
        if setting.github_team:
            grouped = grouped.filter(team=setting.github_team)
        ids = set(await grouped.values_list("user_id", flat=True))
        known = {p[0] for p in users}
        members = User.filter(id__in=ids - known, provider="github")
        users += people(await members.values_list(*PERSON_FIELDS))
    return listed, users


def order_key(login: str, name: str) -> str:
    """Where a member's row sorts among those who answered alike, and how it is matched:
    by login as matched (a listed login and its owner's account share it), a guest by the
    name they chose, as shown (their login, "guest~…", says nothing), then their login, so
    two guests of one name stay two rows."""
    if is_guest(login):
        return f"{_name_key(name)}\x00{login}"  # never a login's key: no login holds \x00
    return member_key(login)


def _name_key(name: str) -> str:
    """A name as sorted: without case or accents ("Émile" among the E's, not after "Zed")."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


MEMBERS_KEPT = 20_000  # members a book keeps made (all forgotten at once past that)
Made = tuple[tuple[bool, str], Member]  # a member's place in the order, and the member


class MemberBook:
    """Members as shown, each made once with its place in the order and kept: a vote's new
    status reuses 999 of 1,000 members (and what changed is found by identity)."""

    def __init__(self) -> None:
        self._made: dict[tuple[str, str, str | None, bool], Made] = {}

    def member(self, login: str, name: str, avatar_url: str | None, answered: bool) -> Made:
        key = (login, name, avatar_url, answered)
        made = self._made.get(key)
        if made is None:
            if len(self._made) >= MEMBERS_KEPT:
                self._made.clear()
            place = (answered, order_key(login, name))
            made = self._made[key] = (place, Member(login, name, avatar_url, answered))
        return made


def _status(
    listed: Iterable[str],
    users: Iterable[Person],
    answered: Collection[int],
    from_roster: bool,
    book: MemberBook | None = None,
) -> RosterStatus:
    book = book or MemberBook()
    by_key: dict[str, Made] = {}
    for login in listed:
        made = book.member(login, login, None, False)
        by_key[made[0][1]] = made
    for user_id, login, name, avatar_url in users:
        made = book.member(login, name, avatar_url, user_id in answered)
        by_key[made[0][1]] = made  # a listed login signed in: their own row replaces it
    ordered = sorted(by_key.values(), key=itemgetter(0))  # missing first, then by login
    return RosterStatus(tuple(member for _, member in ordered), from_roster)


async def roster_status(poll: Poll, seen: Collection[int] = ()) -> RosterStatus:
    """Who answered `poll` among who should: the room's roster, or without one everyone in
    `seen` (user ids the caller saw in the room or on the question) and everyone who
    answered. The owner is never counted."""
    owner = poll.owner_id  # type: ignore[attr-defined]
    answered = {voter for _, voter in await answered_ids([poll.id])} - {owner}
    roster = await roster_users(poll.room_id) if poll.room_id else None  # type: ignore[attr-defined]
    if roster is not None:
        listed, users = roster
        return _status(listed, [p for p in users if p[0] != owner], answered, True)
    people = await User.filter(id__in=(set(seen) | answered) - {owner})
    return _status((), map(person, people), answered, False)


def tally_people(tally: Tally, only: Collection[int] | None = None) -> dict[int, Person]:
    """Everyone who voted or answered, as the tally shows them (a `nobody` question's
    answers have no voter: none there); `only`: just these user ids, among 1,000 voters
    found without making a person of each, each in the response the tally places them in
    (a patched tally's new voter: found at its end)."""
    if only is not None and not tally.all_answers:
        found = (tally.voter(user_id) for user_id in only)
        return {v.user_id: (v.user_id, v.login, v.name, v.avatar_url) for v in found if v}
    voters = [voter for choice in tally.choices for voter in choice.voters]
    voters += [answer.voter for answer in tally.all_answers if answer.voter is not NO_VOTER]
    if only is not None:
        voters = [voter for voter in voters if voter.user_id in only]
    return {v.user_id: (v.user_id, v.login, v.name, v.avatar_url) for v in voters}


async def roster_status_of(
    poll: Poll,
    tally: Tally,
    seen: Mapping[int, Person],
    book: MemberBook | None = None,
    kept: KeptRoster | None = None,
) -> RosterStatus:
    """`roster_status` from a tally just read: who answered is the tally's, and so are the
    voters' names and pictures; `seen` holds the people already loaded (user id ->
    `person(user)`). Only a room's roster, or a `nobody` question's participant seen
    nowhere yet, is read (the publisher calls this once per vote it pushes, with its `book`
    and the question's `kept` roster, which a vote moves instead of building it whole and
    reading the room's roster again)."""
    owner = poll.owner_id  # type: ignore[attr-defined]
    voted = tally.voted
    # Everyone who voted, less the owner: copied only when the owner voted too (a copy of
    # 20,000 ids was 0.3 ms a vote; an instructor seldom votes in their class's question).
    answered = voted - {owner} if owner in voted else voted
    if kept is not None and book is not None:
        followed = kept.follow(answered, seen, tally, book)
        if followed is not None:
            return followed
    epoch = kept.epoch if kept is not None else None  # the room's news may come meanwhile
    room_id = poll.room_id  # type: ignore[attr-defined]
    roster = await roster_users(room_id) if room_id else None
    if roster is not None:
        listed, users = roster
        people = {p[0]: p for p in users if p[0] != owner}
        status = _status(listed, people.values(), answered, True, book)
        outsiders = (answered | seen.keys()) - people.keys()
    else:
        status, people = await _seen_status(owner, answered, seen, tally, book)
        outsiders = set()
    if kept is not None:
        kept.keep(
            status,
            answered,
            people,
            room_id=room_id,
            outsiders=outsiders,
            epoch=epoch,
            tally=tally,
        )
    return status


async def _seen_status(
    owner: int,
    answered: Set[int],
    seen: Mapping[int, Person],
    tally: Tally,
    book: MemberBook | None,
) -> tuple[RosterStatus, dict[int, Person]]:
    """Without a room roster: everyone seen and everyone who answered, and those people."""
    known = {**seen, **tally_people(tally)}
    unknown = answered - known.keys()
    if unknown:  # a `nobody` question's participants: their ids alone are in the tally
        known.update((u.id, person(u)) for u in await User.filter(id__in=unknown))
    wanted = (set(seen) | answered) - {owner}
    people = {i: known[i] for i in wanted if i in known}
    return _status((), people.values(), answered, False, book), people
