"""Writing rooms: create, rename, archive, the order of their questions and which one is
current. Only the domain imports this module; everything else calls `rooms.RoomCommands`."""

from __future__ import annotations

from datetime import datetime, timedelta

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from crowdsource.domain import clock, poll_store
from crowdsource.domain.models import Poll, Room, User
from crowdsource.domain.poll_input import PollSpec
from crowdsource.domain.room_codes import new_code
from crowdsource.domain.visibility import is_open

CODE_ATTEMPTS = 10  # a clash among 10^9 codes is rare; ten in a row means something is wrong


async def create_room(owner: User, name: str) -> Room:
    """A new room with a fresh unique code."""
    for _ in range(CODE_ATTEMPTS):
        code = new_code()
        if await Room.exists(code=code):
            continue
        try:
            return await Room.create(owner=owner, name=name, code=code)
        except IntegrityError:  # taken by another room in between: draw again
            continue
    raise RuntimeError(f"no free room code after {CODE_ATTEMPTS} attempts")


async def rename_room(room: Room, name: str) -> bool:
    if room.name == name:
        return False
    room.name = name
    await Room.filter(id=room.id).update(name=name)
    return True


async def set_archived(room: Room, archived: bool, now: datetime | None = None) -> bool:
    """Archive (no question is current any more) or bring back. False when unchanged."""
    if (room.archived_at is not None) == archived:
        return False
    room.archived_at = (now or clock.now()) if archived else None
    values: dict[str, object] = {"archived_at": room.archived_at}
    if archived:
        values["current_id"] = None
        room.current_id = None  # type: ignore[attr-defined]
    await Room.filter(id=room.id).update(**values)
    return True


async def add_question(
    room: Room, owner: User, spec: PollSpec, *, draft: bool, duration: timedelta | None
) -> Poll:
    """A question at the end of the room's list: prepared (`draft`, asked later, open for
    `duration` once asked) or ready to be asked now."""
    async with in_transaction():
        last = await Poll.filter(room_id=room.id).order_by("-position").first()
        poll = await poll_store.create_poll(
            owner,
            spec,
            room=room,
            position=(last.position + 1) if last else 0,
            draft=draft,
            duration_seconds=int(duration.total_seconds()) if duration else None,
        )
    return poll


async def make_current(room: Room, poll: Poll | None, now: datetime | None = None) -> Poll | None:
    """`poll` becomes the question every screen shows (None: the waiting notice).

    The question shown before is closed if it was still open, so that a late vote for it
    is refused by the server clock. A prepared question is opened (for its duration, if it
    has one); one asked before keeps its state. Returns the question that was closed."""
    moment = now or clock.now()
    async with in_transaction():
        fresh = await Room.select_for_update().get(id=room.id)
        previous_id = fresh.current_id  # type: ignore[attr-defined]
        closed = None
        if previous_id is not None and (poll is None or previous_id != poll.id):
            previous = await Poll.get_or_none(id=previous_id)
            if previous is not None and is_open(previous, moment):
                await Poll.filter(id=previous.id).update(closed_at=moment)
                previous.closed_at, closed = moment, previous
        if poll is not None and poll.draft:
            poll.draft = False
            if poll.duration_seconds:
                poll.closes_at = moment + timedelta(seconds=poll.duration_seconds)
            await Poll.filter(id=poll.id).update(draft=False, closes_at=poll.closes_at)
        await Room.filter(id=room.id).update(current_id=poll.id if poll else None)
        room.current_id = poll.id if poll else None  # type: ignore[attr-defined]
    return closed


async def next_prepared(room: Room) -> Poll | None:
    """The first prepared question after the current one in the room's order (or the first
    prepared question at all); None when none is left."""
    questions = await Poll.filter(room_id=room.id, draft=True).order_by("position", "id")
    current = await Poll.get_or_none(id=room.current_id) if room.current_id else None  # type: ignore[attr-defined]
    if current is not None:
        after = [
            poll for poll in questions if (poll.position, poll.id) > (current.position, current.id)
        ]
        if after:
            return after[0]
    return questions[0] if questions else None


async def move_question(room: Room, poll: Poll, step: int) -> bool:
    """Move a question one place up (-1) or down (+1) in the room's order. False at an end."""
    async with in_transaction():
        questions = await Poll.filter(room_id=room.id).order_by("position", "id")
        ids = [question.id for question in questions]
        at = ids.index(poll.id)
        to = at + step
        if not 0 <= to < len(ids):
            return False
        ids[at], ids[to] = ids[to], ids[at]
        for position, poll_id in enumerate(ids):
            await Poll.filter(id=poll_id).update(position=position)
    return True


async def edit_question(poll: Poll, spec: PollSpec, duration: timedelta | None) -> None:
    """Replace a prepared question's text, responses and settings (never once asked)."""
    await poll_store.replace_draft(poll, spec, int(duration.total_seconds()) if duration else None)
