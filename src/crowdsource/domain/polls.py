"""The only code that writes polls and votes, and the tally that every surface shows."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cached_property
from weakref import WeakKeyDictionary

from tortoise.backends.base.client import BaseDBAsyncClient, TransactionalDBClient
from tortoise.connection import get_connection
from tortoise.expressions import F
from tortoise.transactions import in_transaction

from crowdsource.domain import clock
from crowdsource.domain.accounts import GUEST_PREFIX
from crowdsource.domain.db import CONNECTION, is_outage
from crowdsource.domain.group_commit import GroupCommit
from crowdsource.domain.models import Choice, Poll, User, Vote
from crowdsource.domain.poll_input import (
    MAX_MINUTES,
    MIN_MINUTES,
    MINUTES_RANGE,
    PAST_END,
    PollInvalid,
    PollSpec,
    check_visibility,
)
from crowdsource.domain.visibility import is_open

SLUG_BYTES = 8  # 64 bits from the CSPRNG, 11 URL-safe characters
MAX_ID = 2**31 - 1  # ids are INTEGER columns: a larger number is no response of any poll
SWAP_ATTEMPTS = 5  # optimistic retries when two changes of one poll race


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
    show_voters: str = "owner"

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
    if not text.isascii() or not text.isdigit() or len(text) > 12 or int(text) > MAX_ID:
        raise VoteRejected("Pick one of the responses.")
    return int(text)


@dataclass(frozen=True)
class Ballot:
    """One vote as it arrived: checked and stored together with the others of its group."""

    poll_id: int
    voter_id: int
    choice_id: int
    cast_at: datetime


async def cast_vote(poll: Poll, voter: User, choice: object, now: datetime | None = None) -> Choice:
    """Record `voter`'s answer (replacing an earlier one). Returns the response chosen.

    Refused with VoteRejected when the poll is closed by the server clock or the choice
    is not one of this poll's responses; nothing is stored then. Votes that arrive while
    others are being written are stored together in the next transaction (group commit)."""
    ballot = Ballot(poll.id, voter.id, _choice_id(choice), now or clock.now())
    connection = get_connection(CONNECTION)
    if isinstance(connection, TransactionalDBClient):  # the caller's transaction: write in it
        (outcome,) = await store_ballots([ballot])
        if isinstance(outcome, VoteRejected):
            raise outcome
        return outcome
    return await _ballot_box(connection).submit(ballot)


_BALLOT_BOXES: WeakKeyDictionary[BaseDBAsyncClient, GroupCommit[Ballot, Choice]] = (
    WeakKeyDictionary()
)


def _ballot_box(connection: BaseDBAsyncClient) -> GroupCommit[Ballot, Choice]:
    """One group commit per database client (one per app, and per test)."""
    box = _BALLOT_BOXES.get(connection)
    if box is None:
        # A broken row (a response deleted mid-batch) fails alone; an outage fails them all.
        box = _BALLOT_BOXES[connection] = GroupCommit(
            store_ballots, retry_alone=lambda error: not is_outage(error)
        )
    return box


async def store_ballots(ballots: Sequence[Ballot]) -> list[Choice | VoteRejected]:
    """Check and store `ballots` in one transaction: per ballot, the response chosen or
    why it was refused. Two reads and one upsert, however many ballots."""
    async with in_transaction():
        chosen = {
            choice.id: choice
            for choice in await Choice.filter(
                id__in={ballot.choice_id for ballot in ballots}
            ).select_related("poll")
        }
        elsewhere = {ballot.poll_id for ballot in ballots if _owned_choice(chosen, ballot) is None}
        polls_by_id = (
            {poll.id: poll for poll in await Poll.filter(id__in=elsewhere)} if elsewhere else {}
        )
        outcomes: list[Choice | VoteRejected] = []
        accepted: dict[tuple[int, int], Ballot] = {}  # a later ballot of one voter wins
        for ballot in ballots:
            choice = _owned_choice(chosen, ballot)
            current = choice.poll if choice is not None else polls_by_id.get(ballot.poll_id)
            if current is None:
                outcomes.append(VoteRejected("This poll no longer exists."))
            elif not is_open(current, ballot.cast_at):
                outcomes.append(VoteRejected("Voting has closed for this poll."))
            elif choice is None:
                outcomes.append(VoteRejected("That response is not part of this poll."))
            else:
                outcomes.append(choice)
                accepted[(ballot.poll_id, ballot.voter_id)] = ballot
        if accepted:
            # One statement, race-free: a person's new vote replaces their earlier one.
            await Vote.bulk_create(
                [
                    Vote(
                        poll_id=b.poll_id,
                        voter_id=b.voter_id,
                        choice_id=b.choice_id,
                        cast_at=b.cast_at,
                    )
                    for b in accepted.values()
                ],
                on_conflict=("poll_id", "voter_id"),
                update_fields=("choice_id", "cast_at"),
            )
    return outcomes


def _owned_choice(chosen: dict[int, Choice], ballot: Ballot) -> Choice | None:
    """The ballot's response, when it is one of the ballot's poll."""
    choice = chosen.get(ballot.choice_id)
    return choice if choice is not None and choice.poll_id == ballot.poll_id else None  # type: ignore[attr-defined]


def vote_confirmation(chosen: Choice) -> str:
    return f"Your vote for “{chosen.label}” is in."


async def close_poll(poll: Poll, now: datetime | None = None) -> bool:
    """Close now. Returns False when it was already closed."""
    moment = now or clock.now()
    closed = await Poll.filter(id=poll.id, closed_at__isnull=True).update(closed_at=moment)
    if closed:
        poll.closed_at = moment
    return bool(closed)


# Lifecycle. A poll is open until `closed_at` is set or `closes_at` passes (visibility.is_open);
# the scheduled close writes `closed_at = closes_at` so the database says so explicitly.


async def close_if_due(poll_id: int, now: datetime | None = None) -> bool:
    """The scheduled close: mark the poll closed at its end time if it is still open and that
    time has come (an extend may have moved it since the timer was set). True if this call
    closed it, so that only one process announces it."""
    moment = now or clock.now()
    closed = await Poll.filter(id=poll_id, closed_at__isnull=True, closes_at__lte=moment).update(
        closed_at=F("closes_at")
    )
    return bool(closed)


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


async def reopen_poll(poll: Poll, closes_at: datetime | None, now: datetime | None = None) -> None:
    """Open the poll again (votes so far are kept) until `closes_at`, or until it is closed by
    hand when None. On an open poll this replaces its end time."""
    moment = now or clock.now()
    if closes_at is not None and closes_at <= moment:
        raise PollInvalid({"closes_at": PAST_END})
    if not await Poll.filter(id=poll.id).update(closed_at=None, closes_at=closes_at):
        raise PollNotFound(poll.slug)
    poll.closed_at, poll.closes_at = None, closes_at


async def _swap(current: Poll, **values: object) -> bool:
    """Write `values` only if the poll's end fields are still what `current` read."""
    same: dict[str, object] = {}
    for name in ("closes_at", "closed_at"):
        value = getattr(current, name)
        same.update({f"{name}__isnull": True} if value is None else {name: value})
    return bool(await Poll.filter(id=current.id, **same).update(**values))


async def extend_poll(poll: Poll, minutes: int, now: datetime | None = None) -> datetime:
    """Give voters `minutes` more. An open poll with an end time ends that much later; an open
    poll without one now ends in `minutes`; a closed poll reopens for `minutes` from now.
    Returns the new end time."""
    if isinstance(minutes, bool) or not MIN_MINUTES <= minutes <= MAX_MINUTES:
        raise PollInvalid({"minutes": MINUTES_RANGE})
    moment = now or clock.now()
    for _ in range(SWAP_ATTEMPTS):
        current = await Poll.get_or_none(id=poll.id)
        if current is None:
            raise PollNotFound(poll.slug)
        running = is_open(current, moment) and current.closes_at is not None
        base = current.closes_at if running else clock.next_whole_second(moment)
        new_end = base + timedelta(minutes=minutes)
        if await _swap(current, closes_at=new_end, closed_at=None):
            poll.closes_at, poll.closed_at = new_end, None
            return new_end
    raise PollInvalid({"minutes": "The poll changed at the same moment. Try again."})


async def set_visibility(poll: Poll, results_visibility: str, show_voters: str) -> bool:
    """Change who sees results and voters (the owner always sees everything).
    Returns False when nothing changed."""
    errors = check_visibility(results_visibility, show_voters)
    if errors:
        raise PollInvalid(errors)
    current = await Poll.get_or_none(id=poll.id)
    if current is None:
        raise PollNotFound(poll.slug)
    poll.results_visibility, poll.show_voters = results_visibility, show_voters
    if (current.results_visibility, current.show_voters) == (results_visibility, show_voters):
        return False
    await Poll.filter(id=poll.id).update(
        results_visibility=results_visibility, show_voters=show_voters
    )
    return True


async def duplicate_poll(poll: Poll, owner: User) -> Poll:
    """A new, open poll for `owner` with the same question, responses and visibility settings,
    a new link and no votes. The end time is not copied: it was a moment, not a setting."""
    labels = (
        await Choice.filter(poll_id=poll.id)
        .order_by("position", "id")
        .values_list("label", flat=True)
    )
    if not labels:  # its responses are gone: so is the poll
        raise PollNotFound(poll.slug)
    spec = PollSpec(
        question=poll.question,
        choices=tuple(str(label) for label in labels),
        results_visibility=poll.results_visibility,
        show_voters=poll.show_voters,
    )
    return await create_poll(owner, spec)


async def delete_poll(poll: Poll) -> bool:
    """Delete the poll with its responses and votes. False when it was already gone."""
    async with in_transaction():
        await Vote.filter(poll_id=poll.id).delete()
        await Choice.filter(poll_id=poll.id).delete()
        deleted = await Poll.filter(id=poll.id).delete()
    return bool(deleted)


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
        show_voters=poll.show_voters,
        choices=tuple(
            ChoiceTally(choice.id, choice.label, len(voters[choice.id]), tuple(voters[choice.id]))
            for choice in choices
        ),
    )
