"""The stored changes of a poll's life, each one committed on its own. They announce nothing:
outside the domain, changes go through `PollCommands` (domain/polls.py), which announces them
and keeps the close timer in step. A poll is open until `closed_at` is set or `closes_at`
passes (visibility.is_open); the scheduled close writes `closed_at = closes_at`."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from tortoise.expressions import F
from tortoise.transactions import in_transaction

from crowdsource.domain import clock
from crowdsource.domain.kind_input import kind_of
from crowdsource.domain.models import Answer, Choice, Pick, Poll, Room, RoundBallot, User, Vote
from crowdsource.domain.participation import answered_ids
from crowdsource.domain.poll_input import (
    LATEST_END,
    MAX_MINUTES,
    MIN_MINUTES,
    MINUTES_RANGE,
    PollInvalid,
    PollSpec,
    check_end_time,
    check_visibility,
)
from crowdsource.domain.poll_queries import PollNotFound
from crowdsource.domain.visibility import ResultsVisibility, ShowVoters, is_open
from crowdsource.i18n.current import Text

SLUG_BYTES = 8  # 64 bits from the CSPRNG, 11 URL-safe characters
SWAP_ATTEMPTS = 5  # optimistic retries when two changes of one poll race
CANNOT_EXTEND = Text(
    "This poll already ends as late as a poll can (before the year %(year)s): "
    "it cannot be extended.",
    year=LATEST_END.year,
)
RACED = Text("The poll changed at the same moment. Try again.")


def new_slug() -> str:
    """A fresh slug that starts with a letter or digit: a leading `-` reads as an option on a
    command line and as a formula in a spreadsheet (whose export then has to alter it)."""
    while True:
        slug = secrets.token_urlsafe(SLUG_BYTES)
        if slug[0].isalnum():
            return slug


async def create_poll(owner: User, spec: PollSpec, **placement: object) -> Poll:
    """Store a validated poll with its responses, in one transaction. `placement`: a room
    question's `room`, `position`, `draft` and `duration_seconds`."""
    async with in_transaction():
        poll = await Poll.create(
            slug=new_slug(),
            owner=owner,
            question=spec.question,
            closes_at=spec.closes_at,
            results_visibility=spec.results_visibility,
            show_voters=spec.show_voters,
            **spec.kind.stored(),
            **placement,
        )
        await _add_choices(poll, spec)
    return poll


async def _add_choices(poll: Poll, spec: PollSpec) -> None:
    correct = set(spec.kind.correct)
    await Choice.bulk_create(
        [
            Choice(poll=poll, label=label, position=position, correct=position in correct)
            for position, label in enumerate(spec.responses)
        ]
    )


async def replace_draft(poll: Poll, spec: PollSpec, duration_seconds: int | None) -> None:
    """Rewrite a prepared question (not yet asked, so without votes): text, responses and
    settings. PollNotFound when it is gone or was asked meanwhile."""
    async with in_transaction():
        changed = await Poll.filter(id=poll.id, draft=True).update(
            question=spec.question,
            results_visibility=spec.results_visibility,
            show_voters=spec.show_voters,
            duration_seconds=duration_seconds,
            **spec.kind.stored(),
        )
        if not changed:
            raise PollNotFound(poll.slug)
        await Choice.filter(poll_id=poll.id).delete()
        await _add_choices(poll, spec)
    for name, value in spec.kind.stored().items():
        setattr(poll, name, value)
    poll.question, poll.duration_seconds = spec.question, duration_seconds
    poll.results_visibility, poll.show_voters = spec.results_visibility, spec.show_voters


async def close_poll(poll: Poll, now: datetime | None = None) -> bool:
    """Close now. Returns False when it was already closed."""
    moment = now or clock.now()
    closed = await Poll.filter(id=poll.id, closed_at__isnull=True).update(closed_at=moment)
    if closed:
        poll.closed_at = moment
    return bool(closed)


async def close_if_due(poll_id: int, now: datetime | None = None) -> bool:
    """The scheduled close: mark the poll closed at its end time if it is still open and that
    time has come (an extend may have moved it since the timer was set). True if this call
    closed it, so that only one process announces it."""
    moment = now or clock.now()
    closed = await Poll.filter(id=poll_id, closed_at__isnull=True, closes_at__lte=moment).update(
        closed_at=F("closes_at")
    )
    return bool(closed)


async def reopen_poll(poll: Poll, closes_at: datetime | None, now: datetime | None = None) -> None:
    """Open the poll again (votes so far are kept) until `closes_at`, or until it is closed by
    hand when None. On an open poll this replaces its end time."""
    moment = now or clock.now()
    if closes_at is not None:
        try:
            check_end_time(closes_at, moment)
        except ValueError as problem:
            raise PollInvalid({"closes_at": str(problem)}) from None
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
        if base >= LATEST_END - timedelta(minutes=minutes):  # compared so nothing can overflow
            raise PollInvalid({"minutes": CANNOT_EXTEND})
        new_end = base + timedelta(minutes=minutes)
        if await _swap(current, closes_at=new_end, closed_at=None):
            poll.closes_at, poll.closed_at = new_end, None
            return new_end
    raise PollInvalid({"minutes": RACED})


# Translators: “Nobody, not even me” is the option of who sees the voters: say it as there
SEALED_SWITCH = Text(
    "People have already voted, and “Nobody, not even me” keeps ballots apart from names: "
    "it can only be switched on or off before the first vote."
)


async def set_visibility(poll: Poll, results_visibility: str, show_voters: str) -> bool:
    """Change who sees results and voters (the owner always sees everything).
    Returns False when nothing changed."""
    errors = check_visibility(results_visibility, show_voters)
    if errors:
        raise PollInvalid(errors)
    current = await Poll.get_or_none(id=poll.id)
    if current is None:
        raise PollNotFound(poll.slug)
    switched = (current.show_voters == ShowVoters.NOBODY) != (show_voters == ShowVoters.NOBODY)
    if switched and await answered_ids([poll.id]):  # ballots are stored one way or the other
        raise PollInvalid({"show_voters": SEALED_SWITCH})
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
    if not await Poll.exists(id=poll.id):
        raise PollNotFound(poll.slug)
    rows = (
        await Choice.filter(poll_id=poll.id)
        .order_by("position", "id")
        .values_list("label", "correct")
    )
    spec = PollSpec(
        question=poll.question,
        choices=tuple(str(label) for label, _ in rows),
        results_visibility=ResultsVisibility(poll.results_visibility),
        show_voters=ShowVoters(poll.show_voters),
        kind=kind_of(poll, [(str(label), bool(correct)) for label, correct in rows]),
    )
    return await create_poll(owner, spec)


async def reveal_poll(poll: Poll, now: datetime | None = None) -> bool:
    """Show a quiz's correct responses to everyone. False when already revealed (or no quiz)."""
    if not await Choice.exists(poll_id=poll.id, correct=True):
        return False
    moment = now or clock.now()
    revealed = await Poll.filter(id=poll.id, revealed_at__isnull=True).update(revealed_at=moment)
    if revealed:
        poll.revealed_at = moment
    return bool(revealed)


async def hide_answer(poll: Poll, answer_id: int) -> bool:
    """Take one open answer off every screen. False when it is no shown answer of the poll."""
    return bool(
        await Answer.filter(id=answer_id, poll_id=poll.id, hidden=False).update(hidden=True)
    )


async def delete_poll(poll: Poll) -> bool:
    """Delete the poll with its responses and votes. False when it was already gone."""
    async with in_transaction():
        await Room.filter(current_id=poll.id).update(current_id=None)
        await Vote.filter(poll_id=poll.id).delete()
        await Pick.filter(poll_id=poll.id).delete()
        await RoundBallot.filter(poll_id=poll.id).delete()
        await Answer.filter(poll_id=poll.id).delete()
        await Choice.filter(poll_id=poll.id).delete()
        deleted = await Poll.filter(id=poll.id).delete()
    return bool(deleted)
