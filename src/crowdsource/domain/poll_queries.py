"""Reading polls: by link, by owner, and the ones the close scheduler must watch."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from tortoise.expressions import Q
from tortoise.functions import Count

from crowdsource.domain import clock
from crowdsource.domain.models import SLUG_MAX, Poll, User, Vote

SLUG_SHAPE = re.compile(rf"[A-Za-z0-9_-]{{1,{SLUG_MAX}}}")


class PollNotFound(LookupError):
    """No poll at this slug (never created, or deleted)."""


def could_be_a_slug(text: str) -> bool:
    """Whether `text` has a slug's shape: URL-safe characters, not too long. Anything else
    is no poll's, and is never sent to the database (which may refuse it: NUL, length)."""
    return SLUG_SHAPE.fullmatch(text) is not None


async def get_poll(slug: str) -> Poll:
    if not could_be_a_slug(slug):
        raise PollNotFound(slug[:SLUG_MAX])
    poll = await Poll.get_or_none(slug=slug)
    if poll is None:
        raise PollNotFound(slug)
    return poll


@dataclass(frozen=True)
class PollSummary:
    """One line of a person's list of polls. `copy_of`: the first of their polls with the
    same question, when this one came later (a duplicate, or the same question asked again)."""

    poll: Poll
    votes: int
    copy_of: Poll | None = None


async def polls_owned_by(user: User) -> list[PollSummary]:
    """Newest first, each with its number of votes (one query)."""
    polls = (
        await Poll.filter(owner=user)
        .annotate(vote_count=Count("votes"))
        .order_by("-created_at", "-id")
    )
    first: dict[str, Poll] = {}
    for poll in reversed(polls):
        first.setdefault(poll.question, poll)
    return [
        PollSummary(
            poll,
            int(poll.vote_count),
            None if first[poll.question] is poll else first[poll.question],
        )  # type: ignore[attr-defined]
        for poll in polls
    ]


async def open_polls_owned_by(user: User, now: datetime | None = None) -> list[Poll]:
    """This person's polls still open: not closed by hand, their end time (if any) to come."""
    moment = now or clock.now()
    return await Poll.filter(
        Q(closes_at__isnull=True) | Q(closes_at__gt=moment), owner=user, closed_at__isnull=True
    )


async def voted_in(poll: Poll, user_ids: list[int]) -> bool:
    """Whether any of these people has a vote in the poll."""
    return await Vote.filter(poll_id=poll.id, voter_id__in=user_ids).exists()


async def has_votes(poll: Poll) -> bool:
    return await Vote.filter(poll_id=poll.id).exists()


async def overdue_poll_ids(now: datetime | None = None) -> list[int]:
    """Polls whose end time passed without being marked closed (the server was down)."""
    moment = now or clock.now()
    ids = await Poll.filter(closed_at__isnull=True, closes_at__lte=moment).values_list(
        "id", flat=True
    )
    return [int(poll_id) for poll_id in ids]


async def scheduled_polls(now: datetime | None = None) -> list[Poll]:
    """Open polls with an end time still to come."""
    moment = now or clock.now()
    return await Poll.filter(closed_at__isnull=True, closes_at__gt=moment).order_by("closes_at")
