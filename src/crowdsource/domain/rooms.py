"""The write commands of a room: each commits, then announces once ("room X changed" when
what its screens show moved, "poll X changed" for a question opened or closed on the way),
and keeps the close timers in step. Built once at start-up (app.py), like PollCommands."""

from __future__ import annotations

from datetime import datetime

from crowdsource.domain import clock, room_store, roster_store
from crowdsource.domain.announcer import Announcer, announce, announce_room
from crowdsource.domain.ballots import Receipt
from crowdsource.domain.class_language import store_language
from crowdsource.domain.closing import CloseScheduler
from crowdsource.domain.models import Poll, Room, User
from crowdsource.domain.polls import PollCommands
from crowdsource.domain.room_input import QuestionSpec
from crowdsource.domain.roster import RosterSpec
from crowdsource.domain.vote_refusals import NoQuestionNow, PollGone, QuestionEnded


class RoomCommands:
    """Create, rename, archive; ask, prepare, edit, reorder and delete questions; make one
    current (launch, next, back to waiting); vote for the current question."""

    def __init__(self, announcer: Announcer, closing: CloseScheduler, polls: PollCommands) -> None:
        self._announcer = announcer
        self._closing = closing
        self._polls = polls

    async def _room_changed(self, room: Room) -> None:
        await announce_room(self._announcer, room.id)

    async def create(self, owner: User, name: str, roster: RosterSpec | None = None) -> Room:
        """A new room with a fresh code, and its roster if one was given (nobody watches it
        yet: nothing to announce)."""
        room = await room_store.create_room(owner, name)
        if roster is not None and roster.active:
            await roster_store.set_roster(room, roster)
        return room

    async def set_roster(self, room: Room, roster: RosterSpec) -> bool:
        """Replace who may vote in the room (an empty roster: everyone). False if unchanged."""
        if not await roster_store.set_roster(room, roster):
            return False
        await self._room_changed(room)
        return True

    async def rename(self, room: Room, name: str) -> bool:
        if not await room_store.rename_room(room, name):
            return False
        await self._room_changed(room)
        return True

    async def set_language(self, room: Room, code: str) -> bool:
        """The room's own language (class_language.py); False when unchanged."""
        if not await store_language(room, code):
            return False
        await self._room_changed(room)
        return True

    async def archive(self, room: Room, archived: bool = True) -> bool:
        """Archive (every screen goes back to waiting) or bring back. False when unchanged."""
        previous = room.current_id  # type: ignore[attr-defined]
        if archived and previous is not None:
            await self.launch(room, None)
        if not await room_store.set_archived(room, archived):
            return False
        await self._room_changed(room)
        return True

    async def add_question(
        self, room: Room, owner: User, question: QuestionSpec, *, launch: bool
    ) -> Poll:
        """A question at the end of the room's list, asked now (`launch`) or prepared."""
        poll = await room_store.add_question(
            room, owner, question.poll, draft=not launch, duration=question.duration
        )
        if launch:
            await self.launch(room, poll)
        else:
            await self._room_changed(room)
        return poll

    async def edit_question(self, room: Room, poll: Poll, question: QuestionSpec) -> None:
        """Rewrite a prepared question (PollNotFound once it has been asked)."""
        await room_store.edit_question(poll, question.poll, question.duration)
        await self._room_changed(room)

    async def move_question(self, room: Room, poll: Poll, step: int) -> bool:
        if not await room_store.move_question(room, poll, step):
            return False
        await self._room_changed(room)
        return True

    async def delete_question(self, room: Room, poll: Poll) -> bool:
        """Delete a question with its votes; its screens move to the waiting notice."""
        if room.current_id == poll.id:  # type: ignore[attr-defined]
            await room_store.make_current(room, None)
        deleted = await self._polls.delete(poll)
        await self._room_changed(room)
        return deleted

    async def launch(self, room: Room, poll: Poll | None, now: datetime | None = None) -> None:
        """Every screen of the room shows `poll` now (None: the waiting notice). The question
        shown before is closed; a prepared one is opened.

        The room's news goes first: another process may publish each message as it hears
        it, and once its room screens have moved on, the closed question's news concerns
        only that question's own pages (not one wasted message and a tick's delay per
        student before the switch)."""
        moment = now or clock.now()
        closed = await room_store.make_current(room, poll, moment)
        await self._room_changed(room)
        if closed is not None:
            self._closing.forget(closed.id)
            await announce(self._announcer, closed.id)
        if poll is not None:
            self._closing.arm(poll)
            await announce(self._announcer, poll.id)

    async def next(self, room: Room, now: datetime | None = None) -> Poll | None:
        """Move on: the next prepared question, or the waiting notice when none is left."""
        following = await room_store.next_prepared(room)
        await self.launch(room, following, now)
        return following

    async def cast_vote(
        self,
        room: Room,
        slug: str | None,
        voter: User,
        choice: object = None,
        *,
        answer: object = None,
        showing: Poll | None = None,
        confidence: object = None,
    ) -> tuple[Poll, Receipt]:
        """A vote sent from the room's page for its current question; `slug`, when given,
        names the question the voter saw. Refused (VoteRejected) when the room has moved on
        or waits; otherwise as PollCommands.cast_vote.

        `showing`: the question the voter's screen shows, as far as the caller knows (a
        thousand votes at once then cost no read each); the vote's transaction checks that
        it is still the room's current question, with the votes stored alongside."""
        if showing is not None and slug in (None, "", showing.slug):
            question = showing
        else:
            question = await self._question_now(room, slug)
        receipt = await self._polls.cast_vote(
            question, voter, choice, answer=answer, room_id=room.id, confidence=confidence
        )
        return question, receipt

    async def _question_now(self, room: Room, slug: str | None) -> Poll:
        """The room's current question as stored now, if it is the one named by `slug`."""
        fresh = await Room.get_or_none(id=room.id).select_related("current")
        if fresh is None:
            raise PollGone()
        current: Poll | None = fresh.current
        if current is None:
            raise NoQuestionNow()
        if slug and slug != current.slug:
            raise QuestionEnded()
        return current
