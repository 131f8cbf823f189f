"""A question's roster kept between votes. A vote changes whether one or a few people
answered; only they move, found and placed by bisection in the kept order, instead of every
member being made and sorted again (1,000 members per vote at 20 votes a second) and, in a
room with a roster, its 1,000 logins and users being read again (25 ms a vote).

Built whole by `participation.roster_status_of` (`keep`), then followed vote by vote
(`follow`); whatever it cannot follow makes it answer None, and the status is built whole
again:
- without a room roster (the people seen on the question's sockets and those who answered):
  someone answering who is known neither from the sockets nor from the tally, two people
  sharing a login; the sockets holding someone new (`holds_for`);
- with a room roster: someone answering who was not on it when it was read (the roster
  refuses outsiders' votes, so they joined it: a first sign-in, a new team), someone on the
  sockets neither on it nor known to be off it, two people sharing a login, and a read
  older than `ROSTER_REREAD_SECONDS` (a sign-in in another process that nobody here has
  seen yet: their picture, their team);
- either way: news of the question's room (`forget`: its roster edited, here or elsewhere)."""

from __future__ import annotations

import time
import weakref
from bisect import bisect_left
from collections.abc import Collection, Mapping, Set
from operator import itemgetter

from crowdsource.domain.participation import (
    Followed,
    Member,
    MemberBook,
    Person,
    RosterStatus,
    RowChange,
    order_key,
    tally_people,
)
from crowdsource.domain.tally import Tally, joined_since

FOLLOWED_AT_MOST = 64  # people whose answering changed: more, and the status is built whole
ROSTER_REREAD_SECONDS = 5.0  # a room's roster followed this long is read again at the next vote


class KeptRoster:
    """The last status built for one question, in order: each member's place (answered,
    `order_key`) in `places` and the member at the same index in `members`. A person's
    name and picture are those it was built with: they change only with a sign-in, whose new
    socket has the roster built whole again (`RosterPush`), or with the room roster's next
    read. `epoch` counts `forget`s: a build that began before one is not kept."""

    def __init__(self) -> None:
        self.status: RosterStatus | None = None
        self.epoch = 0
        self.room_id: int | None = None  # the question's room, whose news forgets it
        self._read_at = 0.0  # when a room's roster was read (time.monotonic)
        self._answered: Set[int] = frozenset()
        self._answered_in: weakref.ref[Tally] | None = None  # the tally `_answered` is of
        self._people: dict[int, Person] = {}  # everyone on the roster, by user id
        self._outsiders: frozenset[int] = frozenset()  # users known to be off a room roster
        self._keys: dict[str, int] = {}  # login as matched -> user id
        self._places: list[tuple[bool, str]] = []
        self._members: list[Member] = []

    def keep(
        self,
        status: RosterStatus,
        answered: Set[int],
        people: dict[int, Person],
        *,
        room_id: int | None = None,
        outsiders: Collection[int] = (),
        epoch: int | None = None,
        tally: Tally | None = None,
    ) -> None:
        """Remember a status built whole from `people` (user id -> person, each a member)
        and, for a room roster, the `outsiders` checked against it and not on it; `tally`:
        the one `answered` is of. A build begun at another `epoch` (the room's news came
        meanwhile) is not kept."""
        if epoch is not None and epoch != self.epoch:
            return
        self.status = status
        self.room_id = room_id
        self._read_at = time.monotonic()
        self._answer(answered, tally)
        self._people = people
        self._outsiders = frozenset(outsiders)
        self._keys = {order_key(p[1], p[2]): user_id for user_id, p in people.items()}
        self._members = list(status.members)
        self._places = [(m.answered, order_key(m.login, m.name)) for m in status.members]
        if len(self._keys) != len(people):  # two people, one login as matched: not followed
            self.status = None

    def forget(self) -> None:
        """Build it whole next time (the room's news: its roster may have changed)."""
        self.status = None
        self.epoch += 1

    def holds_for(self, seen: Collection[int]) -> bool:
        """Whether the kept status still holds now that the question's sockets hold `seen`
        (user ids): only a room roster's can, when each of them is on it or known off it."""
        if self.status is None or not self.status.from_roster:
            return False
        return all(user_id in self._people or user_id in self._outsiders for user_id in seen)

    def follow(
        self, answered: Set[int], seen: Mapping[int, Person], tally: Tally, book: MemberBook
    ) -> RosterStatus | None:
        """The status once `answered` (user ids, the owner left out) answered, the people on
        the sockets still `seen`: the kept status when nobody's answering changed; None when
        it has to be built whole."""
        status = self.status
        if status is None:
            return None
        roster = status.from_roster
        if roster and time.monotonic() - self._read_at > ROSTER_REREAD_SECONDS:
            return None
        changed = self._changed(answered, tally)
        if not changed:
            self._answer(answered, tally)
            return status
        if len(changed) > FOLLOWED_AT_MOST:  # a new round, say: as quick to build it whole
            return None
        voters: dict[int, Person] | None = None
        removed: dict[int, Member] = {}  # user id -> row before, for those who had one
        inserted: dict[int, Member] = {}
        for user_id in changed:
            person = self._people.get(user_id)
            if person is None and roster:  # the roster refuses outsiders: they joined it
                self.status = None  # (signed in again with a new team, say): read it again
                return None
            if person is None:
                voters = voters if voters is not None else tally_people(tally, changed)
                person = voters.get(user_id)
                if person is None:  # a `nobody` question's participant never seen: a query
                    self.status = None
                    return None
            else:
                removed[user_id] = self._remove(user_id, person)
            if roster or user_id in answered or user_id in seen:
                member = self._insert(user_id, person, user_id in answered, book)
                if member is None:
                    return None
                inserted[user_id] = member
        self._answer(answered, tally)
        gone = tuple(member for user_id, member in removed.items() if user_id not in inserted)
        followed = Followed(status.stamp, self._changes(inserted, removed), gone)
        self.status = RosterStatus(tuple(self._members), roster, followed)
        return self.status

    def _answer(self, answered: Set[int], tally: Tally | None) -> None:
        self._answered = answered
        self._answered_in = weakref.ref(tally) if tally is not None else None

    def _changed(self, answered: Set[int], tally: Tally) -> Collection[int]:
        """Whose answering changed since the status kept: those who joined, when `tally` was
        patched from the one it was of (a patch only adds voters; comparing who answered in
        each took 0.5 ms at 20,000 votes)."""
        last = self._answered_in() if self._answered_in is not None else None
        joined = joined_since(tally, last) if last is not None else None
        if joined is None:
            return answered ^ self._answered
        return [user_id for user_id in joined if user_id in answered]  # not the owner

    def _changes(
        self, inserted: Mapping[int, Member], removed: Collection[int]
    ) -> tuple[RowChange, ...]:
        """The rows drawn anew, in the new order, each after the member now before it."""
        placed = []
        for user_id, member in inserted.items():
            place = (member.answered, order_key(member.login, member.name))
            index = bisect_left(self._places, place)
            before = self._members[index - 1] if index else None
            placed.append((index, RowChange(member, before, was_shown=user_id in removed)))
        return tuple(change for _, change in sorted(placed, key=itemgetter(0)))

    def _remove(self, user_id: int, person: Person) -> Member:
        key = order_key(person[1], person[2])
        index = bisect_left(self._places, (user_id in self._answered, key))
        member = self._members[index]
        del self._places[index], self._members[index], self._people[user_id], self._keys[key]
        return member

    def _insert(
        self, user_id: int, person: Person, answered: bool, book: MemberBook
    ) -> Member | None:
        place, member = book.member(person[1], person[2], person[3], answered)
        if place[1] in self._keys:  # two people, one login as matched: `_status` keeps one
            self.status = None
            return None
        index = bisect_left(self._places, place)
        self._places.insert(index, place)
        self._members.insert(index, member)
        self._people[user_id] = person
        self._keys[place[1]] = user_id
        return member
