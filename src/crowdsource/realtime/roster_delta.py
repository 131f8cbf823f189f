"""What changed in the owner's #roster between what a socket was last told and now: the
members whose row changed or who are new, each with the member before it in the new order,
and the members gone from it; or None when only the whole panel will do (another kind of
roster, the list of missing logins appearing or going, most rows changed)."""

from __future__ import annotations

from dataclasses import dataclass

from crowdsource.domain.participation import Member, RosterStatus, RowChange


@dataclass(frozen=True)
class RosterMoves:
    moves: list[RowChange]  # in the new order: each row's predecessor is already in place
    gone: list[Member]  # rows to remove: no longer on the panel

    def __bool__(self) -> bool:
        return bool(self.moves or self.gone)


def roster_moves(shown: RosterStatus, now: RosterStatus) -> RosterMoves | None:
    """The rows to remove, move, redraw or add; None when the panel is to be pushed whole.
    A status followed from the one shown says what changed (`Followed`); any other is
    compared member by member."""
    if shown.from_roster != now.from_roster or bool(shown.missing) != bool(now.missing):
        return None
    followed = now.followed
    if now is shown:
        changed = RosterMoves([], [])
    elif followed is not None and followed.since == shown.stamp:
        changed = RosterMoves(list(followed.changes), list(followed.gone))
    else:
        changed = _compared(shown, now)
    if (len(changed.moves) + len(changed.gone)) * 2 > len(now.members):  # as short whole
        return None
    return changed


def _compared(shown: RosterStatus, now: RosterStatus) -> RosterMoves:
    """Rows whose member did not change keep their sort key, so their order among
    themselves holds."""
    before = {member.login: member for member in shown.members}
    moves: list[RowChange] = []
    previous: Member | None = None
    for member in now.members:
        was = before.pop(member.login, None)
        # The same member kept (`MemberBook`), else the fields one by one (a dataclass's
        # == builds two tuples per member).
        if was is None:
            moves.append(RowChange(member, previous, was_shown=False))
        elif was is not member and (
            was.answered != member.answered
            or was.avatar_url != member.avatar_url
            or was.name != member.name
        ):
            moves.append(RowChange(member, previous, was_shown=True))
        previous = member
    return RosterMoves(moves, list(before.values()))
