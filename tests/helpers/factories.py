"""Plain functions that make domain objects with sensible defaults."""

from __future__ import annotations

import itertools
from datetime import datetime
from typing import Any

from crowdsource.domain import clock, poll_store
from crowdsource.domain.accounts import ProviderProfile, sign_in_guest, sign_in_with_profile
from crowdsource.domain.ballots import Ballot, Receipt, store_ballot
from crowdsource.domain.kind_input import KindSpec
from crowdsource.domain.kinds import Given, Kind
from crowdsource.domain.models import Poll, User
from crowdsource.domain.poll_input import PollSpec
from crowdsource.domain.tally_reads import tally_of
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
    if isinstance(values.get("kind"), (str, Kind)):  # make_poll(kind="multiple", min_picks=2)
        names = ("kind", "min_picks", "max_picks", "scale_min", "scale_max")
        names += ("scale_min_label", "scale_max_label", "banned_words", "correct")
        names += ("ask_confidence",)
        settings = {name: values.pop(name) for name in names if name in values}
        settings["kind"] = Kind(settings["kind"])
        values["kind"] = KindSpec(**settings)
    return await poll_store.create_poll(owner or await make_user("Alex Owner"), PollSpec(**values))


async def choice_ids(poll: Poll) -> list[int]:
    return [choice.id for choice in (await tally_of(poll)).choices]


async def store_vote(
    poll: Poll,
    voter: User,
    choice_id: int | tuple[int, ...],
    now: datetime | None = None,
    confidence: str | None = None,
) -> Receipt:
    """A stored vote, as data for a test: no group commit, nothing announced. A tuple of
    ids: a `multiple` poll's picks."""
    picks = choice_id if isinstance(choice_id, tuple) else (choice_id,)
    ballot = Ballot(poll.id, voter.id, Given(picks), now or clock.now(), confidence=confidence)
    return await store_ballot(ballot)


async def store_answer(poll: Poll, voter: User, text: str, now: datetime | None = None) -> Receipt:
    """A stored open answer to a `text` poll, as data for a test."""
    return await store_ballot(Ballot(poll.id, voter.id, Given(answer=text), now or clock.now()))


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)
