"""The results of a poll as stored right now: what every surface (page, socket, CSV) shows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

from crowdsource.domain import clock
from crowdsource.domain.models import Choice, Poll, Vote
from crowdsource.domain.visibility import ResultsVisibility, ShowVoters, is_open


@dataclass(frozen=True)
class Voter:
    """A voter as results show them."""

    user_id: int
    login: str
    name: str
    avatar_url: str
    cast_at: datetime


@dataclass(frozen=True)
class ChoiceTally:
    id: int
    label: str
    votes: int
    voters: tuple[Voter, ...]

    def percent(self, total: int) -> int:
        return round(100 * self.votes / total) if total else 0


@dataclass(frozen=True)
class Tally:
    """The results of one poll as stored right now."""

    poll_id: int
    slug: str
    question: str
    is_open: bool
    closes_at: datetime | None
    results_visibility: ResultsVisibility
    choices: tuple[ChoiceTally, ...]
    show_voters: ShowVoters = ShowVoters.OWNER
    is_draft: bool = False  # a room's prepared question, not asked yet

    @property
    def state(self) -> str:
        return "open" if self.is_open else "closed"

    @property
    def total_votes(self) -> int:
        return sum(choice.votes for choice in self.choices)

    @cached_property
    def choice_by_voter(self) -> dict[int, int]:
        """user id -> the choice id they currently vote for."""
        return {voter.user_id: choice.id for choice in self.choices for voter in choice.voters}

    def choice_of(self, user_id: int | None) -> int | None:
        """The choice this user currently votes for, if any."""
        return None if user_id is None else self.choice_by_voter.get(user_id)


async def tally_of(poll: Poll, now: datetime | None = None) -> Tally:
    """Counts and voters from the stored votes: two queries whatever the size."""
    choices = await Choice.filter(poll_id=poll.id).order_by("position", "id")
    rows = (
        await Vote.filter(poll_id=poll.id)
        .order_by("cast_at", "id")
        .values_list(
            "choice_id",
            "voter_id",
            "voter__login",
            "voter__name",
            "voter__avatar_url",
            "cast_at",
        )
    )
    voters: dict[int, list[Voter]] = {choice.id: [] for choice in choices}
    for choice_id, *voter in rows:
        voters[choice_id].append(Voter(*voter))
    return Tally(
        poll_id=poll.id,
        slug=poll.slug,
        question=poll.question,
        is_open=is_open(poll, now or clock.now()),
        closes_at=poll.closes_at,
        results_visibility=ResultsVisibility(poll.results_visibility),
        show_voters=ShowVoters(poll.show_voters),
        is_draft=poll.draft,
        choices=tuple(
            ChoiceTally(choice.id, choice.label, len(voters[choice.id]), tuple(voters[choice.id]))
            for choice in choices
        ),
    )
