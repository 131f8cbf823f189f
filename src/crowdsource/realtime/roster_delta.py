"""What changed in the owner's #roster between what a socket was last told and now: the
members whose row changed, each with the member before it in the new order, or None when
only the whole panel will do (other members, another kind of roster, the list of missing
logins appearing or going)."""

from __future__ import annotations

from crowdsource.domain.participation import Member, RosterStatus

Move = tuple[Member, Member | None]  # a changed row, and the row it now follows (None: first)


def roster_moves(shown: RosterStatus, now: RosterStatus) -> list[Move] | None:
    """The rows to move or redraw, in the new order (each after its predecessor, which is
    then already in place); None when the panel is to be pushed whole. Rows whose member
    did not change keep their sort key, so their order among themselves holds."""
    if shown.from_roster != now.from_roster or bool(shown.missing) != bool(now.missing):
        return None
    before = {member.login: member for member in shown.members}
    if len(before) != len(now.members):
        return None
    moves: list[Move] = []
    previous: Member | None = None
    for member in now.members:
        was = before.get(member.login)
        if was is None:
            return None
        # The same member kept (`MemberBook`), else the fields one by one (a dataclass's
        # == builds two tuples per member).
        if was is not member and (
            was.answered != member.answered
            or was.avatar_url != member.avatar_url
            or was.name != member.name
        ):
            moves.append((member, previous))
        previous = member
    if len(moves) * 2 > len(now.members):  # most rows changed: the whole panel is as short
        return None
    return moves
