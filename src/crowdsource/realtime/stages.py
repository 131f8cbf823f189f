"""Rooms as their screens follow them: which question each local room shows, and the full
state of a room's socket (`#stage` with the current question, or the waiting notice).

A room's sockets form one hub group (`room_group`); while a question is current they get
that poll's deltas with its own viewers (the publisher asks `groups_showing`). When the
current question changes, every socket of the room gets its full state again: one message
that replaces `#stage`. Everything in it is rendered once per audience and shared; only a
signed-in student's CSRF token is written into a copy per socket."""

from __future__ import annotations

import html
import secrets
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from crowdsource.domain import clock
from crowdsource.domain.models import Poll, Room
from crowdsource.domain.room_queries import room_questions, vote_counts
from crowdsource.domain.tally import Mine
from crowdsource.domain.visibility import Audience, is_open
from crowdsource.i18n.current import current_language, speaking
from crowdsource.realtime.broker.protocol import GroupKey
from crowdsource.realtime.fragments import PAGE, Fragments, ViewerContext
from crowdsource.realtime.snapshot import Snapshot
from crowdsource.realtime.viewers import NO_POLL, Subscriber, room_group

# Stands for a viewer's CSRF token in a vote panel rendered for many: unguessable, so no
# question or response text can contain it.
TOKEN_SLOT = f"csrf-{secrets.token_hex(16)}"


@dataclass(frozen=True)
class QuestionRow:
    """One of the room's questions as the host's list shows it."""

    slug: str
    question: str
    draft: bool
    closed: bool  # asked, and no longer open (by the clock of the last read)
    votes: int = 0  # people who voted, as of the last read


@dataclass(frozen=True)
class RoomView:
    """A room as read at its last change: what its screens show."""

    room_id: int
    code: str
    name: str
    owner_id: int
    archived: bool
    current_id: int | None
    questions: tuple[QuestionRow, ...]
    language: str = ""  # the room's own (domain/class_language.py); "": each viewer's
    row: Room | None = field(default=None, compare=False, repr=False)  # as read: for joins

    def up_next(self, current_slug: str | None) -> QuestionRow | None:
        """The prepared question Next launches, picked as `room_store.next_prepared` picks it:
        the first one after the current question in the room's order, else the first one."""
        slugs = [question.slug for question in self.questions]
        start = slugs.index(current_slug) + 1 if current_slug and current_slug in slugs else 0
        for question in (*self.questions[start:], *self.questions):
            if question.draft:
                return question
        return None


async def read_room(room_id: int) -> RoomView | None:
    """The room as stored now, with its questions (None: deleted)."""
    room = await Room.get_or_none(id=room_id)
    if room is None:
        return None
    questions = await room_questions(room)
    return view_of(room, questions, await vote_counts(questions))


def view_of(
    room: Room, questions: list[Poll] | None = None, votes: dict[int, int] | None = None
) -> RoomView:
    """The room as its screens show it (`questions` and their `votes`: the host's list)."""
    return RoomView(
        room_id=room.id,
        code=room.code,
        name=room.name,
        owner_id=room.owner_id,  # type: ignore[attr-defined]
        archived=room.archived_at is not None,
        current_id=room.current_id,  # type: ignore[attr-defined]
        questions=tuple(_row(poll, (votes or {}).get(poll.id, 0)) for poll in questions or ()),
        language=room.language,
        row=room,
    )


def _row(poll: Poll, votes: int) -> QuestionRow:
    closed = not poll.draft and not is_open(poll, clock.now())
    return QuestionRow(poll.slug, poll.question, poll.draft, closed, votes)


class RoomStages:
    """The rooms with sockets in this process, and their sockets' full states.
    `watching(group)` is presence's count (“N in the room”)."""

    def __init__(
        self, fragments: Fragments, renders: Counter[str], watching: Callable[[GroupKey], int]
    ) -> None:
        self.fragments = fragments
        self.renders = renders
        self.watching = watching
        self._views: dict[int, RoomView] = {}
        self._by_code: dict[str, int] = {}  # a room's code never changes
        # (room, surface, language) -> render
        self._waiting_notices: dict[tuple[int, str, str], str] = {}
        self._empty_status: dict[str, str] = {}  # language -> render
        # poll -> the room groups showing it: made again after any room's view changes
        # (a publish asks several times, and a school has a hundred rooms)
        self._showing: dict[int, tuple[GroupKey, ...]] | None = None

    def view(self, room_id: int) -> RoomView | None:
        return self._views.get(room_id)

    def room_by_code(self, code: str) -> Room | None:
        """A room with sockets here, as its last read found it (`code` canonical): a socket
        joining it needs no query of its own (a room deleted meanwhile is dropped when its
        news is published)."""
        room_id = self._by_code.get(code)
        view = None if room_id is None else self._views.get(room_id)
        return None if view is None else view.row

    def keep(self, view: RoomView) -> RoomView | None:
        """Record the room's state; returns the one it replaces."""
        before, self._views[view.room_id] = self._views.get(view.room_id), view
        self._by_code[view.code] = view.room_id
        self._showing = None
        self._forget_renders(view.room_id)
        return before

    def forget(self, room_id: int) -> None:
        view = self._views.pop(room_id, None)
        if view is not None:
            self._by_code.pop(view.code, None)
            self._showing = None
        self._forget_renders(room_id)

    def _forget_renders(self, room_id: int) -> None:
        for key in [key for key in self._waiting_notices if key[0] == room_id]:
            del self._waiting_notices[key]

    def rooms(self) -> list[int]:
        return list(self._views)

    def groups_showing(self, poll_id: int) -> tuple[GroupKey, ...]:
        """The room groups whose current question is this poll."""
        if self._showing is None:
            showing: dict[int, list[GroupKey]] = {}
            for view in self._views.values():
                if view.current_id is not None:
                    showing.setdefault(view.current_id, []).append(room_group(view.room_id))
            self._showing = {poll_id: tuple(groups) for poll_id, groups in showing.items()}
        return self._showing.get(poll_id, ())

    def shown_polls(self) -> set[int]:
        return {view.current_id for view in self._views.values() if view.current_id is not None}

    def full_state(self, subscriber: Subscriber, snapshot: Snapshot | None) -> str:
        """Synchronous, like FullStates.render: `#stage` as this socket may see it, then
        its own vote form (or the host's controls), then “N in the room”; in its language."""
        with speaking(subscriber.viewer.language):
            return self._full_state(subscriber, snapshot)

    def _full_state(self, subscriber: Subscriber, snapshot: Snapshot | None) -> str:
        if subscriber.viewer.expired(clock.now()):  # rendered as a signed-out visitor's
            subscriber.end_session()
        subscriber.signed_out_from = None
        viewer = subscriber.viewer
        seat = viewer.room
        assert seat is not None, "a poll's socket has no stage"
        view = self._views.get(seat.room_id)
        presence = self.fragments.presence(self.watching(viewer.group), in_room=True)
        moved_on, subscriber.moved_on = subscriber.moved_on, False
        if moved_on and viewer.surface == PAGE and not seat.host:
            presence = self._no_status() + presence  # the last question's status goes too
        if view is None:  # the room was deleted
            return self.fragments.gone() + presence
        if seat.host and viewer.user_id == view.owner_id:
            self.renders["host"] += 1
            if snapshot is not None:
                subscriber.variant = viewer.audience(snapshot).variant
            context = ViewerContext(viewer.user, viewer.csrf_token, None)
            tally = snapshot.tally if snapshot is not None and viewer.poll_id else None
            return self.fragments.host_stage(view, tally, context) + presence
        if viewer.poll_id == NO_POLL or snapshot is None:
            return self._waiting(view, viewer.surface) + presence
        audience = viewer.audience(snapshot)
        subscriber.variant = audience.variant
        shared = snapshot.cached(
            ("stage", view.code, viewer.surface, audience.variant),
            lambda: self._stage(view, snapshot, audience, viewer.surface),
        )
        return shared + self._vote_panel(view, snapshot, subscriber) + presence

    def _no_status(self) -> str:
        """An empty `#vote-status`, rendered once per language."""
        language = current_language()
        if language not in self._empty_status:
            self._empty_status[language] = self.fragments.no_status()
        return self._empty_status[language]

    def _waiting(self, view: RoomView, surface: str) -> str:
        """The waiting notice: one render per room, surface and language, whoever waits."""
        key = (view.room_id, surface, current_language())
        if key not in self._waiting_notices:
            self.renders["stage"] += 1
            self._waiting_notices[key] = self.fragments.stage(view, None, None, surface)
        return self._waiting_notices[key]

    def _stage(self, view: RoomView, snapshot: Snapshot, audience: Audience, surface: str) -> str:
        self.renders["stage"] += 1
        return self.fragments.stage(view, snapshot.tally, audience, surface)

    def _vote_panel(self, view: RoomView, snapshot: Snapshot, subscriber: Subscriber) -> str:
        """The viewer's vote panel. Rendered once per state of the question, per signed-in
        or not and per response already chosen; only the form's CSRF token differs from one
        signed-in viewer to the next, and it goes into its slot of the shared render."""
        viewer = subscriber.viewer
        if viewer.surface != PAGE:
            return ""
        signed_in = viewer.user is not None
        my_choice = snapshot.tally.choice_of(viewer.user_id)
        shared = snapshot.cached(
            ("stage vote panel", view.code, str(signed_in), str(my_choice)),
            lambda: self._shared_panel(view, snapshot, signed_in, my_choice),
        )
        if not signed_in:
            return shared
        return shared.replace(TOKEN_SLOT, html.escape(viewer.csrf_token))

    def _shared_panel(
        self, view: RoomView, snapshot: Snapshot, signed_in: bool, my_choice: Mine | None
    ) -> str:
        self.renders["vote panel"] += 1
        context = ViewerContext(
            # The panel asks only whether someone is signed in: nobody's name goes in.
            me=True if signed_in else None,
            csrf_token=TOKEN_SLOT if signed_in else "",
            my_choice=my_choice,
            room_code=view.code,
        )
        return self.fragments.vote_panel(snapshot.tally, context)
