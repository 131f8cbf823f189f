"""A question's roster followed vote by vote is the roster built whole, member for member,
through answers, changes of mind taken back, people known only from the tally, and what it
refuses to follow (two people sharing a login, a new round's many changes)."""

from __future__ import annotations

import random
from types import SimpleNamespace
from typing import Any

from crowdsource.domain.kept_roster import FOLLOWED_AT_MOST, KeptRoster
from crowdsource.domain.participation import MemberBook, Person, RosterStatus, _status

PEOPLE: dict[int, Person] = {
    n: (n, f"Student-{n:03d}", f"Student {n}", f"/avatars/{n}.svg") for n in range(1, 101)
}


def tally_of(voters: dict[int, Person]) -> Any:
    """What `tally_people` reads of a tally: the voters of its (one) response."""
    shown = [
        SimpleNamespace(user_id=p[0], login=p[1], name=p[2], avatar_url=p[3])
        for p in voters.values()
    ]
    return SimpleNamespace(choices=[SimpleNamespace(voters=shown)], all_answers=[])


def whole(seen: dict[int, Person], answered: frozenset[int], book: MemberBook) -> RosterStatus:
    """As `roster_status_of` builds it without a room roster."""
    people = {i: PEOPLE[i] for i in set(seen) | answered}
    return _status((), people.values(), answered, False, book)


def kept_from(seen: dict[int, Person], answered: frozenset[int], book: MemberBook) -> KeptRoster:
    kept = KeptRoster()
    people = {i: PEOPLE[i] for i in set(seen) | answered}
    kept.keep(whole(seen, answered, book), answered, people)
    return kept


def test_followed_vote_by_vote_it_stays_the_roster_built_whole() -> None:
    book = MemberBook()
    draw = random.Random(18)
    seen = {i: PEOPLE[i] for i in range(1, 31)}  # 31-40 are never on a socket
    answered = frozenset({2, 5})
    kept = kept_from(seen, answered, book)
    for _ in range(300):
        someone = draw.randint(1, 40)
        answered = answered - {someone} if someone in answered else answered | {someone}
        voters = {i: PEOPLE[i] for i in answered}
        followed = kept.follow(answered, seen, tally_of(voters), book)
        assert followed == whole(seen, answered, book)
    assert kept.status is followed


def test_nobody_s_answering_changed_the_same_status_is_told() -> None:
    book = MemberBook()
    seen = {i: PEOPLE[i] for i in range(1, 11)}
    kept = kept_from(seen, frozenset({3}), book)
    before = kept.status
    assert kept.follow(frozenset({3}), seen, tally_of({}), book) is before


def test_a_vote_moves_only_the_member_whose_answering_changed() -> None:
    book = MemberBook()
    seen = {i: PEOPLE[i] for i in range(1, 21)}
    kept = kept_from(seen, frozenset(), book)
    assert kept.status is not None
    before = {member.login: member for member in kept.status.members}
    after = kept.follow(frozenset({7}), seen, tally_of({7: PEOPLE[7]}), book)
    assert after is not None
    moved = [m.login for m in after.members if before[m.login] is not m]
    assert moved == ["Student-007"]
    assert after.members[-1].login == "Student-007"  # the missing first, then who answered


def test_what_it_cannot_follow_is_built_whole() -> None:
    book = MemberBook()
    seen = {i: PEOPLE[i] for i in range(1, 11)}
    kept = kept_from(seen, frozenset(), book)
    # Someone answering who is neither on a socket nor in the tally (a `nobody` question).
    assert kept.follow(frozenset({35}), seen, tally_of({}), book) is None
    kept = kept_from(seen, frozenset(), book)
    # A new round: everyone's answering changes at once.
    many = frozenset(range(1, FOLLOWED_AT_MOST + 2))
    assert kept.follow(many, seen, tally_of({i: PEOPLE[i] for i in many}), book) is None
    # Two people whose logins match: the whole build keeps one of them.
    twin: Person = (99, "student-001", "Another One", None)
    kept = kept_from(seen, frozenset(), book)
    assert kept.follow(frozenset({99}), seen, tally_of({99: twin}), book) is None
