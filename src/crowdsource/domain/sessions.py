"""Sessions: signing out everywhere is a change like any other. The command commits, then
announces “user X's sessions ended”, so every process's open sockets of that user stop
seeing what only that user could see. Built once at start-up (app.py) with the announcer."""

from __future__ import annotations

from collections.abc import Iterable

from tortoise.expressions import F

from crowdsource.domain.announcer import Announcer, announce_sessions_ended
from crowdsource.domain.models import User


class SessionCommands:
    """Sign out everywhere."""

    def __init__(self, announcer: Announcer) -> None:
        self._announcer = announcer

    async def sign_out_everywhere(self, user: User) -> None:
        """Every token issued to `user` so far stops working, in every tab and process."""
        await User.filter(id=user.id).update(token_version=F("token_version") + 1)
        await announce_sessions_ended(self._announcer, user.id)


async def token_versions(user_ids: Iterable[int]) -> dict[int, int]:
    """The current token version of each user that still exists, in one query."""
    ids = sorted(set(user_ids))
    if not ids:
        return {}
    rows = await User.filter(id__in=ids).values_list("id", "token_version")
    return {int(user_id): int(version) for user_id, version in rows}
