"""Who answered, as the owner's #roster lists it: the status a vote's publish builds."""

from __future__ import annotations

import pytest

from crowdsource.domain.kept_roster import KeptRoster
from crowdsource.domain.participation import MemberBook, _status, roster_status_of
from crowdsource.domain.tally import patched_from
from crowdsource.domain.tally_reads import tally_of
from crowdsource.realtime.roster_delta import roster_moves
from tests.helpers.factories import choice_ids, make_poll, make_user, store_vote

PEOPLE = [(n, f"Student-{n:03d}", f"Student {n}", f"/avatars/{n}.svg") for n in range(50)]


def test_a_book_changes_nothing_but_keeps_each_member_made_once() -> None:
    """A vote's status with the publisher's book is the status without it; the members
    whose row did not change are the very objects of the last status."""
    book = MemberBook()
    answered = {3, 17}
    listed = ["student-003", "Not-Signed-In"]
    before = _status(listed, PEOPLE, answered, True, book)
    assert before == _status(listed, PEOPLE, answered, True)
    assert [m.login for m in before.members][:3] == ["Not-Signed-In", "Student-000", "Student-001"]
    answered.add(25)
    after = _status(listed, PEOPLE, answered, True, book)
    assert after == _status(listed, PEOPLE, answered, True)
    was = {member.login: member for member in before.members}
    unchanged = [member for member in after.members if member.login != "Student-025"]
    assert all(was[member.login] is member for member in unchanged)
    moves = roster_moves(before, after)
    assert moves is not None and [move.member.login for move in moves.moves] == ["Student-025"]


@pytest.mark.usefixtures("orm")
async def test_an_owner_who_votes_is_never_on_their_own_roster() -> None:
    """Who answered is who voted less the owner, also when the owner tries their own
    question: built whole, and followed through a patch that says the owner joined."""
    owner, ada, bob = await make_user("Olive Owner"), await make_user("Ada"), await make_user("Bob")
    poll = await make_poll(owner, show_voters="everyone")
    ids = await choice_ids(poll)
    seen = {u.id: (u.id, u.login, u.name, u.avatar_url) for u in (owner, ada, bob)}
    book, kept = MemberBook(), KeptRoster()
    await store_vote(poll, ada, ids[0])
    await store_vote(poll, owner, ids[1])
    first = await tally_of(poll)
    assert owner.id in first.voted

    built = await roster_status_of(poll, first, seen, book, kept)

    assert [(m.name, m.answered) for m in built.members] == [("Bob", False), ("Ada", True)]
    await store_vote(poll, bob, ids[2])
    read = await tally_of(poll)
    patch = patched_from(read, first, dict(read.placed), frozenset({bob.id}))
    followed = await roster_status_of(poll, patch, seen, book, kept)
    assert followed.followed is not None  # moved, not built whole
    assert [(m.name, m.answered) for m in followed.members] == [("Ada", True), ("Bob", True)]
    # The owner voting again, as a patch says who joined: nobody moves.
    again = patched_from(await tally_of(poll), patch, dict(read.placed), frozenset({owner.id}))
    assert await roster_status_of(poll, again, seen, book, kept) is followed
