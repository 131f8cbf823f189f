"""What changed in the owner's #roster between what a socket was last told and now: the
members whose row changed or who are new, each with the member before it in the new order,
and the members gone from it; or None when only the whole panel will do (another kind of
roster, the list of missing logins appearing or going, most rows changed)."""

from __future__ import annotations

from dataclasses import dataclass

from crowdsource.domain.participation import Member, RosterStatus


@dataclass(frozen=True)
class Move:
    """A row to draw after `before` (None: first): `member`'s, whose old row, when
    `was_shown`, is removed first. A newcomer (someone who answered from another process,
    say) has no old row to remove."""

    member: Member
    before: Member | None
    was_shown: bool


@dataclass(frozen=True)
class RosterMoves:
    moves: list[Move]  # in the new order: each row's predecessor is already in place
    gone: list[Member]  # rows to remove: no longer on the panel

    def __bool__(self) -> bool:
        return bool(self.moves or self.gone)


def roster_moves(shown: RosterStatus, now: RosterStatus) -> RosterMoves | None:
    """The rows to remove, move, redraw or add; None when the panel is to be pushed whole.
    Rows whose member did not change keep their sort key, so their order among themselves
    holds."""
    if shown.from_roster != now.from_roster or bool(shown.missing) != bool(now.missing):
        return None
    before = {member.login: member for member in shown.members}
    moves: list[Move] = []
    previous: Member | None = None
    for member in now.members:
        was = before.pop(member.login, None)
        # The same member kept (`MemberBook`), else the fields one by one (a dataclass's
        # == builds two tuples per member).
        if was is None:
            moves.append(Move(member, previous, was_shown=False))
        elif was is not member and (
            was.answered != member.answered
            or was.avatar_url != member.avatar_url
            or was.name != member.name
        ):
            moves.append(Move(member, previous, was_shown=True))
        previous = member
    gone = list(before.values())
    if (len(moves) + len(gone)) * 2 > len(now.members):  # the whole panel is as short
        return None
    return RosterMoves(moves, gone)
