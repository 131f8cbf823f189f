"""Reading polls: by link, by owner, and the ones the close scheduler must watch."""

from __future__ import annotations

from datetime import datetime

from crowdsource.domain import clock
from crowdsource.domain.models import SLUG_MAX, Poll, User


class PollNotFound(LookupError):
    """No poll at this slug (never created, or deleted)."""


async def get_poll(slug: str) -> Poll:
    if len(slug) > SLUG_MAX:  # no slug is that long (and the database would refuse it)
        raise PollNotFound(slug[:SLUG_MAX])
    poll = await Poll.get_or_none(slug=slug)
    if poll is None:
        raise PollNotFound(slug)
    return poll


async def polls_owned_by(user: User) -> list[Poll]:
    return await Poll.filter(owner=user).order_by("-created_at", "-id")


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
