"""The write commands of a poll: each commits, then announces "poll X changed" once, and keeps
the close timer in step. Built once at start-up (app.py) with the announcer and the scheduler;
routes parse, call one command, and answer. Nothing else in the code announces."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from tortoise.backends.base.client import TransactionalDBClient
from tortoise.connection import get_connection

from crowdsource.domain import clock, poll_store
from crowdsource.domain.announcer import Announcer, announce, announce_room, announce_votes
from crowdsource.domain.ballots import Ballot, BallotBox, Receipt, new_ballot_box, read_ballot
from crowdsource.domain.class_language import store_language
from crowdsource.domain.closing import CloseScheduler
from crowdsource.domain.confidence import read_confidence
from crowdsource.domain.db import CONNECTION, is_outage
from crowdsource.domain.models import Poll, User
from crowdsource.domain.poll_input import PollSpec
from crowdsource.domain.round_store import start_round


class InsideTransaction(RuntimeError):
    """A command was called inside a caller's transaction: it could not announce after commit."""


def _unobserved() -> None:
    pass


class PollCommands:
    """Create, vote, close, reopen, extend, set visibility, duplicate, delete.
    `vote_stored` is called once per vote committed (a metric; it must not block)."""

    def __init__(
        self,
        announcer: Announcer,
        closing: CloseScheduler,
        *,
        vote_stored: Callable[[], None] = _unobserved,
    ) -> None:
        self._announcer = announcer
        self._closing = closing
        self._vote_stored = vote_stored
        # A broken row (a response deleted mid-batch) fails alone; an outage fails them all.
        self._ballot_box: BallotBox = new_ballot_box(retry_alone=lambda error: not is_outage(error))

    async def _changed(self, poll: Poll) -> None:
        """After a commit that may move the end time: follow it, then tell every page."""
        self._closing.arm(poll)
        await announce(self._announcer, poll.id)

    async def create(self, owner: User, spec: PollSpec) -> Poll:
        """Store a validated poll with its responses."""
        poll = await poll_store.create_poll(owner, spec)
        await self._changed(poll)
        return poll

    async def cast_vote(
        self,
        poll: Poll,
        voter: User,
        choice: object = None,
        now: datetime | None = None,
        *,
        answer: object = None,
        room_id: int | None = None,
        confidence: object = None,
    ) -> Receipt:
        """Record `voter`'s ballot (replacing an earlier one): `choice`, the response id or
        ids sent (a `multiple` poll takes a list), or the open `answer` of a `text` poll.
        Returns what was recorded.

        Refused with a VoteRejected (PollClosed, NotAChoice, Rephrase, PollGone, SignedOut)
        when the poll is closed by the server clock, the ballot is no valid one of its kind
        (a response of another poll, too few or too many picks, a refused word), the poll is
        gone, or `voter` signed out since they were read (their token version moved on);
        nothing is stored or announced then. Votes that arrive while others are being written
        are stored together in the next transaction (group commit). Cast from a room's screen
        (`room_id`): refused too (QuestionEnded, NoQuestionNow) unless the poll is the room's
        current question when the transaction reads it."""
        given = read_ballot(poll.kind, choice, answer)
        sure = read_confidence(confidence)  # a value outside the three is refused anyway
        ballot = Ballot(
            poll.id,
            voter.id,
            given,
            now or clock.now(),
            room_id,
            sure if poll.ask_confidence else None,
            voter.token_version,
        )
        if isinstance(get_connection(CONNECTION), TransactionalDBClient):
            raise InsideTransaction("cast_vote commits on its own: call it outside a transaction")
        chosen = await self._ballot_box.submit(ballot)
        self._vote_stored()
        await announce_votes(self._announcer, poll.id, frozenset({voter.id}))
        return chosen

    async def close(self, poll: Poll, now: datetime | None = None) -> bool:
        """Close now. False (nothing announced) when it was already closed."""
        if not await poll_store.close_poll(poll, now):
            return False
        await self._changed(poll)
        return True

    async def reopen(
        self, poll: Poll, closes_at: datetime | None, now: datetime | None = None
    ) -> None:
        """Open again until `closes_at` (None: until closed by hand); votes so far are kept."""
        await poll_store.reopen_poll(poll, closes_at, now)
        await self._changed(poll)

    async def start_round(
        self, poll: Poll, closes_at: datetime | None = None, now: datetime | None = None
    ) -> int:
        """Vote again (peer instruction): round N's ballots are kept, round N+1 opens for
        everyone (see round_store.start_round; RoundRefused when it cannot). Every page
        resets its vote form. Returns the new round's number."""
        number = await start_round(poll, closes_at, now)
        await self._changed(poll)
        return number

    async def extend(self, poll: Poll, minutes: int, now: datetime | None = None) -> datetime:
        """Give voters `minutes` more (see poll_store.extend_poll). Returns the new end time."""
        new_end = await poll_store.extend_poll(poll, minutes, now)
        await self._changed(poll)
        return new_end

    async def set_visibility(self, poll: Poll, results_visibility: str, show_voters: str) -> bool:
        """Change who sees results and voters. False (nothing announced) when unchanged."""
        if not await poll_store.set_visibility(poll, results_visibility, show_voters):
            return False
        await announce(self._announcer, poll.id)
        return True

    async def set_language(self, poll: Poll, code: str) -> bool:
        """The poll's own language (class_language.py); False (nothing announced) when
        unchanged."""
        if not await store_language(poll, code):
            return False
        await announce(self._announcer, poll.id)
        return True

    async def duplicate(self, poll: Poll, owner: User) -> Poll:
        """A fresh copy for `owner`: same question, responses and visibility, no votes."""
        copy = await poll_store.duplicate_poll(poll, owner)
        await self._changed(copy)
        return copy

    async def reveal(self, poll: Poll) -> bool:
        """Show a quiz's correct responses on every screen. False (nothing announced) when
        already revealed or the poll is no quiz."""
        if not await poll_store.reveal_poll(poll):
            return False
        await announce(self._announcer, poll.id)
        return True

    async def hide_answer(self, poll: Poll, answer_id: int) -> bool:
        """Take an open answer off every screen. False (nothing announced) when it is no
        shown answer of this poll."""
        if not await poll_store.hide_answer(poll, answer_id):
            return False
        await announce(self._announcer, poll.id)
        return True

    async def delete(self, poll: Poll) -> bool:
        """Delete with responses and votes; its pages learn it is gone (a room showing it
        goes back to waiting). False when it was already gone (nothing announced)."""
        self._closing.forget(poll.id)
        if not await poll_store.delete_poll(poll):
            return False
        await announce(self._announcer, poll.id)
        if poll.room_id is not None:  # type: ignore[attr-defined]
            await announce_room(self._announcer, poll.room_id)  # type: ignore[attr-defined]
        return True
