"""Who may see what of a poll's results: one rule for every surface."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from crowdsource.domain.models import Poll


@dataclass(frozen=True)
class Audience:
    """What one viewer is shown. The few distinct values are the render variants."""

    results: bool
    voters: bool

    @property
    def variant(self) -> str:
        if not self.results:
            return "hidden"
        return "voters" if self.voters else "counts"


HIDDEN = Audience(results=False, voters=False)
COUNTS = Audience(results=True, voters=False)
EVERYTHING = Audience(results=True, voters=True)
AUDIENCES = {audience.variant: audience for audience in (HIDDEN, COUNTS, EVERYTHING)}


def is_open(poll: Poll, now: datetime) -> bool:
    """Open until the instant it was closed by hand or its end time, whichever comes first
    (at that instant it is shut). A vote is judged by its own time, not by which write
    reached the database first."""
    return all(now < end for end in (poll.closed_at, poll.closes_at) if end is not None)


def audience_for(poll: Poll, viewer_id: int | None, has_voted: bool, now: datetime) -> Audience:
    """The owner sees everything; others per the poll's visibility settings."""
    if viewer_id is not None and viewer_id == poll.owner_id:  # type: ignore[attr-defined]
        return EVERYTHING
    rule = poll.results_visibility
    results = (
        rule == "always"
        or (rule == "after_vote" and (has_voted or not is_open(poll, now)))
        or (rule == "after_close" and not is_open(poll, now))
    )
    if not results:
        return HIDDEN
    return EVERYTHING if poll.show_voters == "everyone" else COUNTS
