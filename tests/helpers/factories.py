"""Plain functions that make domain objects with sensible defaults."""

from __future__ import annotations

import itertools
from datetime import datetime
from typing import Any

from crowdsource.domain import polls
from crowdsource.domain.accounts import ProviderProfile, sign_in_guest, sign_in_with_profile
from crowdsource.domain.models import Poll, User
from crowdsource.domain.poll_input import PollSpec
from crowdsource.web.urls import initials_avatar

_ids = itertools.count(1000)


async def make_user(name: str = "Ada Student", *, github: bool = False) -> User:
    if not github:
        return await sign_in_guest(name, initials_avatar)
    number = next(_ids)
    return await sign_in_with_profile(
        ProviderProfile(
            provider="github",
            provider_id=str(number),
            login=f"octo{number}",
            name=name,
            avatar_url=f"https://avatars.githubusercontent.com/u/{number}",
        ),
        initials_avatar,
    )


async def make_poll(owner: User | None = None, **overrides: Any) -> Poll:
    values: dict[str, Any] = {
        "question": "How well do you follow?",
        "choices": ("Old hat", "Okay", "No idea"),
        "closes_at": None,
        "results_visibility": "always",
        "show_voters": "owner",
    }
    values.update(overrides)
    return await polls.create_poll(owner or await make_user("Alex Owner"), PollSpec(**values))


async def choice_ids(poll: Poll) -> list[int]:
    return [choice.id for choice in (await polls.tally(poll)).choices]


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)
