"""A question's roster followed vote by vote is the roster built whole, member for member,
through answers, changes of mind taken back, people known only from the tally, and what it
refuses to follow (two people sharing a login, a new round's many changes); a room roster
followed the same way, read again when someone new to it comes, when its read is old, and
not kept when the room's news came while it was built."""

from __future__ import annotations

import random

import pytest

from crowdsource.domain import kept_roster
from crowdsource.domain.kept_roster import FOLLOWED_AT_MOST, KeptRoster
from crowdsource.domain.participation import MemberBook, Person, RosterStatus, _status
from crowdsource.domain.tally import UNTIMED, ChoiceTally, Tally, Voter, patched_from
from crowdsource.domain.visibility import ResultsVisibility
from crowdsource.realtime.roster_delta import roster_moves

PEOPLE: dict[int, Person] = {
    n: (n, f"Student-{n:03d}", f"Student {n}", f"/avatars/{n}.svg") for n in range(1, 101)
}


def tally_of(voters: dict[int, Person]) -> Tally:
    """A tally whose one response these people voted for (what `tally_people` reads)."""
    shown = tuple(Voter(*p, UNTIMED) for p in voters.values())
    return Tally(
        poll_id=1,
        slug="kept",
        question="Which?",
        is_open=True,
        closes_at=None,
        results_visibility=ResultsVisibility.ALWAYS,
        choices=(ChoiceTally(1, "A", len(shown), shown),),
    )


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


def told(tally: Tally, base: Tally, joined: frozenset[int]) -> Tally:
    """`tally`, as a patch of `base` says it: `joined` had not voted in `base`."""
    return patched_from(tally, base, dict(tally.placed), joined)


def test_a_tally_patched_from_the_one_kept_moves_who_the_patch_says_joined() -> None:
    book = MemberBook()
    seen = {i: PEOPLE[i] for i in range(1, 21)}
    first = tally_of({3: PEOPLE[3]})
    kept = KeptRoster()
    kept.keep(whole(seen, frozenset({3}), book), frozenset({3}), dict(seen), tally=first)
    voters = {3: PEOPLE[3], 7: PEOPLE[7], 45: PEOPLE[45]}  # 45: known only from the tally
    patched = told(tally_of(voters), first, frozenset({7, 45}))

    followed = kept.follow(frozenset(voters), seen, patched, book)

    assert followed == whole(seen, frozenset(voters), book)
    # Of another tally than the one kept: who answered is compared (9 answered).
    voters[9] = PEOPLE[9]
    read = tally_of(voters)
    compared = kept.follow(frozenset(voters), seen, read, book)
    assert compared == whole(seen, frozenset(voters), book) != followed
    # Taken at its word: a patch of the tally kept that says nobody joined moves nobody.
    quiet = told(tally_of(voters), read, frozenset())
    assert kept.follow(frozenset({*voters, 11}), seen, quiet, book) is compared


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


def on_roster(answered: frozenset[int], book: MemberBook) -> RosterStatus:
    """As `roster_status_of` builds it for a room roster: listed logins, ten never signed
    in, and the signed-in members 1-40 (41-50 are off the roster)."""
    listed = [f"Listed-{n}" for n in range(10)] + [PEOPLE[i][1] for i in range(1, 41)]
    return _status(listed, [PEOPLE[i] for i in range(1, 41)], answered, True, book)


def kept_on_roster(answered: frozenset[int], book: MemberBook) -> KeptRoster:
    kept = KeptRoster()
    people = {i: PEOPLE[i] for i in range(1, 41)}
    outsiders = (answered | set(range(41, 46))) - people.keys()  # 46-50: never seen
    kept.keep(on_roster(answered, book), answered, people, room_id=3, outsiders=outsiders)
    return kept


def test_a_room_roster_followed_vote_by_vote_stays_the_roster_built_whole() -> None:
    book = MemberBook()
    draw = random.Random(17)
    answered = frozenset({2, 41})  # 41 answered before the roster struck them off
    kept = kept_on_roster(answered, book)
    for _ in range(300):
        someone = draw.randint(1, 40)
        answered = answered - {someone} if someone in answered else answered | {someone}
        followed = kept.follow(answered, {}, tally_of({}), book)
        assert followed == on_roster(answered, book)
    assert kept.status is followed and followed.from_roster and followed.total == 50


def test_someone_new_to_a_room_roster_has_it_read_again() -> None:
    book = MemberBook()
    kept = kept_on_roster(frozenset(), book)
    seen = {i: PEOPLE[i] for i in (1, 2, 43)}  # members, and someone known off it
    assert kept.holds_for(seen)
    assert not kept.holds_for({**seen, 47: PEOPLE[47]})  # never seen when it was read
    assert kept.follow(frozenset({47}), seen, tally_of({47: PEOPLE[47]}), book) is None
    assert kept.status is None
    kept = kept_on_roster(frozenset(), book)
    # Known off it, yet their vote counted: they joined it since (a new team at sign-in).
    assert kept.follow(frozenset({43}), seen, tally_of({43: PEOPLE[43]}), book) is None


def test_a_room_roster_read_long_ago_is_read_again(monkeypatch: pytest.MonkeyPatch) -> None:
    book = MemberBook()
    kept = kept_on_roster(frozenset(), book)
    assert kept.follow(frozenset({1}), {}, tally_of({}), book) is not None
    monkeypatch.setattr(kept_roster, "ROSTER_REREAD_SECONDS", -1.0)  # any read is too old
    assert kept.follow(frozenset({1, 2}), {}, tally_of({}), book) is None


def test_a_build_begun_before_the_room_s_news_is_not_kept() -> None:
    book = MemberBook()
    kept = kept_on_roster(frozenset(), book)
    began = kept.epoch
    kept.forget()  # the roster was edited while the build read it
    assert kept.status is None
    kept.keep(on_roster(frozenset(), book), frozenset(), {1: PEOPLE[1]}, epoch=began)
    assert kept.status is None
    kept.keep(on_roster(frozenset(), book), frozenset(), {1: PEOPLE[1]}, epoch=kept.epoch)
    assert kept.status is not None


def test_only_a_room_roster_holds_when_the_sockets_change() -> None:
    book = MemberBook()
    seen = {i: PEOPLE[i] for i in range(1, 11)}
    assert not kept_from(seen, frozenset(), book).holds_for(seen)  # the people seen are it
    assert not KeptRoster().holds_for({})


def without_record(status: RosterStatus) -> RosterStatus:
    """The same members, compared member by member by `roster_moves`."""
    return RosterStatus(status.members, status.from_roster)


@pytest.mark.parametrize("room_roster", [False, True], ids=["seen", "room roster"])
def test_what_a_followed_status_says_changed_is_what_comparing_every_member_finds(
    room_roster: bool,
) -> None:
    """Several people at a time answer or take it back (some never seen on a socket): the
    rows the status says changed, each after the member before it, and those gone, are
    those found by comparing every member of the status shown with the new one."""
    book = MemberBook()
    draw = random.Random(19)
    seen = {i: PEOPLE[i] for i in range(1, 31)}
    answered = frozenset({2, 5, 33})
    kept = kept_on_roster(answered, book) if room_roster else kept_from(seen, answered, book)
    shown, recorded = kept.status, 0
    for _ in range(200):
        flipped = set(draw.sample(range(1, 41), draw.randint(1, 5)))
        answered = answered ^ flipped
        now = kept.follow(answered, {} if room_roster else seen, tally_of(PEOPLE), book)
        assert shown is not None and now is not None
        told, compared = roster_moves(shown, now), roster_moves(shown, without_record(now))
        recorded += now.followed is not None and now.followed.since == shown.stamp
        if compared is None:
            assert told is None
        else:
            assert told is not None and told.moves == compared.moves
            assert sorted(m.login for m in told.gone) == sorted(m.login for m in compared.gone)
        shown = now
    assert recorded == 200


GUESTS: dict[int, Person] = {
    n: (n, f"guest~g{n:03d}", ["Ada", "ada", "Zed", "Mel", "Émile"][n % 5], f"/avatars/g{n}.svg")
    for n in range(201, 241)
}


def test_guests_are_ordered_by_the_names_they_chose_followed_or_built_whole() -> None:
    """Guests sort by name, as shown (their logins, "guest~…", say nothing), two of one
    name apart by login; followed vote by vote, it is the roster built whole, and the rows a
    vote says it changed are those comparing every member finds."""
    book = MemberBook()
    draw = random.Random(23)
    seen = {i: GUESTS[i] for i in range(201, 231)}  # 231-240 answer from elsewhere
    answered = frozenset({203})
    people = {i: GUESTS[i] for i in set(seen) | answered}
    shown = _status((), people.values(), answered, False, book)
    kept = KeptRoster()
    kept.keep(shown, answered, people)
    waiting = [(m.name.casefold().replace("é", "e"), m.login) for m in shown.members]
    assert waiting == sorted(waiting[:-1]) + waiting[-1:]  # the last one answered
    assert [name for name, _ in waiting[11:14]] == ["ada", "emile", "emile"]  # not after "zed"
    for _ in range(200):
        answered = answered ^ set(draw.sample(range(201, 241), draw.randint(1, 4)))
        voters = {i: GUESTS[i] for i in answered}
        now = kept.follow(answered, seen, tally_of(voters), book)
        people = {i: GUESTS[i] for i in set(seen) | answered}
        assert now == _status((), people.values(), answered, False, book)
        told, compared = roster_moves(shown, now), roster_moves(shown, without_record(now))
        assert (told is None) == (compared is None)
        if told is not None and compared is not None:
            assert told.moves == compared.moves
        shown = now
