"""Signing out everywhere is a command: it commits, then announces the sessions ended."""

from __future__ import annotations

import pytest

from crowdsource.domain.models import User
from crowdsource.domain.sessions import SessionCommands, token_versions
from tests.helpers.announcer import RecordingAnnouncer
from tests.helpers.factories import make_user

pytestmark = pytest.mark.usefixtures("orm")


async def test_sign_out_commits_then_announces_the_user_s_sessions_ended() -> None:
    user, other = await make_user("Ada"), await make_user("Bob")
    seen_at_announcement: list[int] = []

    async def look(user_id: int) -> None:
        seen_at_announcement.append((await User.get(id=user_id)).token_version)

    announcer = RecordingAnnouncer(then_sessions=look)
    await SessionCommands(announcer).sign_out_everywhere(user)
    assert announcer.sessions == [user.id] and announcer == []
    assert seen_at_announcement == [user.token_version + 1]  # committed before announcing
    assert await token_versions([user.id, other.id]) == {
        user.id: user.token_version + 1,
        other.id: other.token_version,
    }


async def test_a_failing_announcer_does_not_undo_the_sign_out(
    caplog: pytest.LogCaptureFixture,
) -> None:
    user = await make_user("Ada")

    async def broken(user_id: int) -> None:
        raise ConnectionError("broker away")

    await SessionCommands(RecordingAnnouncer(then_sessions=broken)).sign_out_everywhere(user)
    assert (await User.get(id=user.id)).token_version == user.token_version + 1
    assert "announcing the sign-out" in caplog.text


async def test_token_versions_of_nobody_asks_nothing() -> None:
    assert await token_versions([]) == {}
    assert await token_versions([123456789]) == {}
