"""Starting the next round of a question (peer instruction), committed on its own. It
announces nothing: `PollCommands.start_round` (domain/polls.py) does, and re-arms the timer.

The current round's ballots stay in `votes` / `picks` (one per voter, as before); starting
round N+1 copies round N's into `round_ballots` and deletes them, in one transaction."""

from __future__ import annotations

from datetime import datetime

from tortoise.transactions import in_transaction

from crowdsource.domain import clock
from crowdsource.domain.kinds import Kind
from crowdsource.domain.models import Pick, Poll, RoundBallot, Vote
from crowdsource.domain.person_message import PersonMessage
from crowdsource.domain.poll_input import PollInvalid, check_end_time
from crowdsource.domain.poll_queries import PollNotFound
from crowdsource.domain.visibility import ShowVoters
from crowdsource.i18n.current import Text

NO_VOTES = Text("Nobody has voted in this round yet: there is nothing to vote on again.")
# Translators: “Vote again” is the name of the button that starts the next round
OPEN_ANSWERS = Text(
    "An open question cannot be voted on again: its answers stay as they are. "
    "Vote again works on questions with responses to pick."
)
SEALED_ROUNDS = Text(
    "Nobody's choices are kept with their names in this question, so it cannot be voted on "
    "again: ask a new question instead."
)
NOT_ASKED = Text("This question has not been asked yet: ask it first.")
RACED = Text("Another round started at the same moment: nothing more was changed.")


class RoundRefused(PersonMessage, ValueError):
    """Why the next round cannot start; the message (a `Text`) is for the owner. Nothing
    changed."""


async def start_round(
    poll: Poll, closes_at: datetime | None = None, now: datetime | None = None
) -> int:
    """End the current round of `poll` and open the next, until `closes_at` (None: until
    closed by hand). Its ballots are kept as the finished round's; a quiz's revealed answer
    is secret again (the new round is voted afresh). Returns the new round's number.
    RoundRefused (no votes, an open question, a draft), PollInvalid (a past end time) or
    PollNotFound; nothing is changed then."""
    if Kind(poll.kind) == Kind.TEXT:
        raise RoundRefused(OPEN_ANSWERS)
    if poll.draft:
        raise RoundRefused(NOT_ASKED)
    if poll.show_voters == ShowVoters.NOBODY:  # its ballots are secret_picks, not rounds'
        raise RoundRefused(SEALED_ROUNDS)
    if closes_at is not None:
        try:
            check_end_time(closes_at, now or clock.now())
        except ValueError as problem:
            raise PollInvalid({"closes_at": str(problem)}) from None  # TimeInvalid's Text
    model = Pick if poll.kind == Kind.MULTIPLE else Vote
    async with in_transaction():
        current = await Poll.get_or_none(id=poll.id)
        if current is None:
            raise PollNotFound(poll.slug)
        rows = await model.filter(poll_id=poll.id).values_list(
            "id", "voter_id", "choice_id", "confidence", "cast_at"
        )
        if not rows:
            raise RoundRefused(NO_VOTES)
        number = current.round
        moved = await Poll.filter(id=poll.id, round=number).update(
            round=number + 1, closed_at=None, closes_at=closes_at, revealed_at=None
        )
        if not moved:
            raise RoundRefused(RACED)
        await RoundBallot.bulk_create(
            [
                RoundBallot(
                    poll_id=poll.id,
                    round=number,
                    voter_id=voter_id,
                    choice_id=choice_id,
                    confidence=confidence,
                    cast_at=cast_at,
                )
                for _, voter_id, choice_id, confidence, cast_at in rows
            ]
        )
        # Only the rows copied: a vote stored at this very moment counts in the new round.
        await model.filter(id__in=[row[0] for row in rows]).delete()
    poll.round, poll.closed_at, poll.closes_at, poll.revealed_at = number + 1, None, closes_at, None
    return number + 1
