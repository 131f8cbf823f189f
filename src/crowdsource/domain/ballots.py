"""Votes as they arrive: why one is refused, and storing many in one transaction.

Callers outside the domain cast votes through `PollCommands.cast_vote` (domain/polls.py),
which groups concurrent ballots and announces the change."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from tortoise.transactions import in_transaction

from crowdsource.domain.group_commit import GroupCommit
from crowdsource.domain.models import Choice, Poll, Room, Vote
from crowdsource.domain.visibility import is_open

MAX_ID = 2**31 - 1  # ids are INTEGER columns: a larger number is no response of any poll


class VoteRejected(Exception):
    """A vote that was not stored. The message can be shown to the voter as it is."""


class NotAChoice(VoteRejected):
    """The choice is no response of this poll (malformed, unknown or another poll's)."""


class PollClosed(VoteRejected):
    """Voting has closed, by the server clock."""

    def __init__(self) -> None:
        super().__init__("Voting has closed for this poll.")


class PollGone(VoteRejected):
    """The poll was deleted."""

    def __init__(self) -> None:
        super().__init__("This poll no longer exists.")


class NotAskedYet(VoteRejected):
    """A room's prepared question that the instructor has not asked yet."""

    def __init__(self) -> None:
        super().__init__("This question has not been asked yet.")


class QuestionEnded(VoteRejected):
    """A vote sent from a room for a question that is no longer the room's current one."""

    def __init__(self) -> None:
        super().__init__("That question has ended: the room has moved on. Nothing was stored.")


class NoQuestionNow(VoteRejected):
    """A vote sent from a room while it waits for the next question."""

    def __init__(self) -> None:
        super().__init__("There is no question to answer right now: wait for the next one.")


def parse_choice_id(raw: object) -> int:
    """The response id a form or frame sent, or NotAChoice."""
    if isinstance(raw, bool) or not isinstance(raw, (str, int)):
        raise NotAChoice("Pick one of the responses.")
    text = str(raw).strip()
    if not text.isascii() or not text.isdigit() or len(text) > 12 or int(text) > MAX_ID:
        raise NotAChoice("Pick one of the responses.")
    return int(text)


@dataclass(frozen=True)
class Ballot:
    """One vote as it arrived: checked and stored together with the others of its group."""

    poll_id: int
    voter_id: int
    choice_id: int
    cast_at: datetime
    room_id: int | None = None  # cast from a room's screen: only while it is its question


BallotBox = GroupCommit[Ballot, Choice]


def new_ballot_box(retry_alone: Callable[[Exception], bool]) -> BallotBox:
    """Concurrent ballots share one transaction; `retry_alone(error)` says when a failed
    batch is tried again ballot by ballot (a broken row, not an outage)."""
    return GroupCommit(store_ballots, retry_alone=retry_alone)


async def store_ballots(ballots: Sequence[Ballot]) -> list[Choice | VoteRejected]:
    """Check and store `ballots` in one transaction: per ballot, the response chosen or
    why it was refused. Two reads and one upsert, however many ballots (and one more read
    when some were cast from rooms: which question each room shows now)."""
    async with in_transaction():
        shown = await _rooms_questions({b.room_id for b in ballots if b.room_id is not None})
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
            if ballot.room_id is not None and shown.get(ballot.room_id) != ballot.poll_id:
                moved_on = shown.get(ballot.room_id) is not None
                outcomes.append(QuestionEnded() if moved_on else NoQuestionNow())
            elif current is None:
                outcomes.append(PollGone())
            elif current.draft:
                outcomes.append(NotAskedYet())
            elif not is_open(current, ballot.cast_at):
                outcomes.append(PollClosed())
            elif choice is None:
                outcomes.append(NotAChoice("That response is not part of this poll."))
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


async def store_ballot(ballot: Ballot) -> Choice:
    """Store one ballot in the current transaction (or its own); VoteRejected when refused.
    Announces nothing: for seeding data and for commands that hold their own transaction."""
    (outcome,) = await store_ballots([ballot])
    if isinstance(outcome, VoteRejected):
        raise outcome
    return outcome


async def _rooms_questions(room_ids: set[int]) -> dict[int, int | None]:
    """The question each room shows now (None: it waits), read inside the transaction."""
    if not room_ids:
        return {}
    rows = await Room.filter(id__in=room_ids).values_list("id", "current_id")
    return {room_id: current_id for room_id, current_id in rows}


def _owned_choice(chosen: dict[int, Choice], ballot: Ballot) -> Choice | None:
    """The ballot's response, when it is one of the ballot's poll."""
    choice = chosen.get(ballot.choice_id)
    return choice if choice is not None and choice.poll_id == ballot.poll_id else None  # type: ignore[attr-defined]


def vote_confirmation(chosen: Choice) -> str:
    return f"Your vote for “{chosen.label}” is in."
