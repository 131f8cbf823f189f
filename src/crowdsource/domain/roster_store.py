"""Reading and writing rooms' rosters. Only the domain writes through this module; routes
call `RosterCommands` (membership.py's sibling, roster_commands.py)."""

from __future__ import annotations

from collections.abc import Iterable

from tortoise.transactions import in_transaction

from crowdsource.domain.kept_statements import models_where_in
from crowdsource.domain.models import Room, User
from crowdsource.domain.roster import RosterSpec, member_key
from crowdsource.domain.roster_models import GitHubMembership, RoomRoster, RosterMember


async def roster_of(room: Room) -> RosterSpec:
    """The room's roster (empty: everyone may vote)."""
    setting = await RoomRoster.get_or_none(room_id=room.id)
    if setting is None:
        return RosterSpec()
    members = (
        await RosterMember.filter(room_id=room.id).order_by("id").values_list("login", flat=True)
    )
    return RosterSpec(
        tuple(str(login) for login in members), setting.github_org, setting.github_team
    )


async def set_roster(room: Room, spec: RosterSpec) -> bool:
    """Replace the room's roster with `spec` (an empty one removes it). False if unchanged."""
    if await roster_of(room) == spec:
        return False
    async with in_transaction():
        await RosterMember.filter(room_id=room.id).delete()
        await RoomRoster.filter(room_id=room.id).delete()
        if spec.active:
            await RoomRoster.create(
                room_id=room.id, github_org=spec.github_org, github_team=spec.github_team
            )
            await RosterMember.bulk_create(
                [
                    RosterMember(room_id=room.id, login=login, login_key=member_key(login))
                    for login in spec.members
                ]
            )
    return True


async def rosters_of_rooms(room_ids: Iterable[int]) -> dict[int, RoomRoster]:
    """The roster settings of those of these rooms that have a roster."""
    ids = set(room_ids)
    if not ids:
        return {}
    rows = await models_where_in(RoomRoster, "room_id", ids)
    return {row.room_id: row for row in rows}  # type: ignore[attr-defined]


async def any_room_uses_an_org() -> bool:
    """Whether some roster names a GitHub organisation (then sign-in asks for `read:org`)."""
    return await RoomRoster.exclude(github_org="").exists()


async def replace_memberships(user: User, groups: Iterable[tuple[str, str]]) -> None:
    """The user's GitHub organisations and teams are now `groups` (read at this sign-in)."""
    async with in_transaction():
        await GitHubMembership.filter(user_id=user.id).delete()
        await GitHubMembership.bulk_create(
            [GitHubMembership(user_id=user.id, org=org, team=team) for org, team in set(groups)]
        )
