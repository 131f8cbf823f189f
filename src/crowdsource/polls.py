"""The only code that writes polls and votes, and the tally that every surface shows."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from crowdsource import clock
from crowdsource.accounts import GUEST_PREFIX
from crowdsource.models import Choice, Poll, User, Vote
from crowdsource.poll_input import PollSpec
from crowdsource.visibility import is_open

SLUG_BYTES = 8  # 64 bits from the CSPRNG, 11 URL-safe characters


class VoteRejected(Exception):
    """A vote that was not stored. The message can be shown to the voter as it is."""


class PollNotFound(LookupError):
    pass


@dataclass(frozen=True)
class Voter:
    """A voter as results show them."""

    user_id: int
    login: str
    name: str
    avatar_url: str
    cast_at: datetime

    @property
    def alt(self) -> str:
        """What a screen reader says: a guest's chosen name, a provider's login."""
        return self.name if self.login.startswith(GUEST_PREFIX) else self.login


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
    results_visibility: str
    choices: tuple[ChoiceTally, ...]

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


def new_slug() -> str:
    return secrets.token_urlsafe(SLUG_BYTES)


async def create_poll(owner: User, spec: PollSpec) -> Poll:
    """Store a validated poll with its responses, in one transaction."""
    async with in_transaction():
        poll = await Poll.create(
            slug=new_slug(),
            owner=owner,
            question=spec.question,
            closes_at=spec.closes_at,
            results_visibility=spec.results_visibility,
            show_voters=spec.show_voters,
        )
        await Choice.bulk_create(
            [
                Choice(poll=poll, label=label, position=position)
                for position, label in enumerate(spec.choices)
            ]
        )
    return poll


async def get_poll(slug: str) -> Poll:
    poll = await Poll.get_or_none(slug=slug)
    if poll is None:
        raise PollNotFound(slug)
    return poll


async def polls_owned_by(user: User) -> list[Poll]:
    return await Poll.filter(owner=user).order_by("-created_at", "-id")


def _choice_id(raw: object) -> int:
    if isinstance(raw, bool) or not isinstance(raw, (str, int)):
        raise VoteRejected("Pick one of the responses.")
    text = str(raw).strip()
    if not text.isascii() or not text.isdigit() or len(text) > 12:
        raise VoteRejected("Pick one of the responses.")
    return int(text)


async def cast_vote(poll: Poll, voter: User, choice: object, now: datetime | None = None) -> Choice:
    """Record `voter`'s answer (replacing an earlier one). Returns the response chosen.

    Refused with VoteRejected when the poll is closed by the server clock or the choice
    is not one of this poll's responses; nothing is stored then."""
    choice_id = _choice_id(choice)
    async with in_transaction():
        current = await Poll.get_or_none(id=poll.id)
        if current is None:
            raise VoteRejected("This poll no longer exists.")
        if not is_open(current, now or clock.now()):
            raise VoteRejected("Voting has closed for this poll.")
        chosen = await Choice.get_or_none(id=choice_id, poll_id=poll.id)
        if chosen is None:
            raise VoteRejected("That response is not part of this poll.")
        moment = now or clock.now()
        updated = await Vote.filter(poll_id=poll.id, voter_id=voter.id).update(
            choice_id=choice_id, cast_at=moment
        )
        if not updated:
            try:
                async with in_transaction():
                    await Vote.create(
                        poll_id=poll.id, voter_id=voter.id, choice_id=choice_id, cast_at=moment
                    )
            except IntegrityError:  # the same person voted twice at once: last one wins
                await Vote.filter(poll_id=poll.id, voter_id=voter.id).update(
                    choice_id=choice_id, cast_at=moment
                )
    return chosen


def vote_confirmation(chosen: Choice) -> str:
    return f"Your vote for “{chosen.label}” is in."


async def close_poll(poll: Poll, now: datetime | None = None) -> bool:
    """Close now. Returns False when it was already closed."""
    moment = now or clock.now()
    closed = await Poll.filter(id=poll.id, closed_at__isnull=True).update(closed_at=moment)
    if closed:
        poll.closed_at = moment
    return bool(closed)


async def has_voted(poll: Poll, user: User | None) -> bool:
    if user is None:
        return False
    return await Vote.exists(poll_id=poll.id, voter_id=user.id)


async def tally(poll: Poll, now: datetime | None = None) -> Tally:
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
        results_visibility=poll.results_visibility,
        choices=tuple(
            ChoiceTally(choice.id, choice.label, len(voters[choice.id]), tuple(voters[choice.id]))
            for choice in choices
        ),
    )
