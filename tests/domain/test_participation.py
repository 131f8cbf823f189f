"""Who answered, as the owner's #roster lists it: the status a vote's publish builds."""

from __future__ import annotations

from crowdsource.domain.participation import MemberBook, _status
from crowdsource.realtime.roster_delta import roster_moves

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
