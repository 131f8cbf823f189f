"""Reading polls: by link, by owner, and the ones the close scheduler must watch."""

from __future__ import annotations

import re
from datetime import datetime

from crowdsource.domain import clock
from crowdsource.domain.models import SLUG_MAX, Poll, User

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
