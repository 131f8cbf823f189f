"""Reading rooms: by code, by owner, and the questions of one room in order."""

from __future__ import annotations

from dataclasses import dataclass

from crowdsource.domain.models import SLUG_MAX, Pick, Poll, Room, User, Vote
from crowdsource.domain.poll_queries import could_be_a_slug
from crowdsource.domain.room_codes import InvalidCode, normalise_code


class RoomNotFound(LookupError):
    """No room has this code (or what was typed is no code at all)."""


class NotInRoom(LookupError):
    """The question named is not one of this room's."""


async def question_of(room: Room, slug: str) -> Poll:
    """The room's question at this slug, or NotInRoom (unknown slug or another room's)."""
    if not could_be_a_slug(slug):
        raise NotInRoom(slug[:SLUG_MAX])
    poll = await Poll.get_or_none(slug=slug, room_id=room.id)
    if poll is None:
        raise NotInRoom(slug)
    return poll


async def get_room(typed_code: str) -> Room:
    """The room of a code as typed (any case, spaces or a dash), or RoomNotFound."""
    try:
        code = normalise_code(typed_code)
    except InvalidCode:
        raise RoomNotFound(typed_code) from None
    room = await Room.get_or_none(code=code)
    if room is None:
        raise RoomNotFound(code)
    return room


async def room_of(poll: Poll) -> Room | None:
    """The room a question belongs to, if any."""
    room_id = poll.room_id  # type: ignore[attr-defined]
    return None if room_id is None else await Room.get_or_none(id=room_id)


async def room_questions(room: Room) -> list[Poll]:
    """The room's questions in the order the instructor set."""
    return await Poll.filter(room_id=room.id).order_by("position", "id")


async def current_question(room: Room) -> Poll | None:
    """The question every screen of the room shows now (None: the waiting notice)."""
    current_id = room.current_id  # type: ignore[attr-defined]
    return None if current_id is None else await Poll.get_or_none(id=current_id)


async def vote_counts(polls: list[Poll]) -> dict[int, int]:
    """How many people voted in each of these polls (one query)."""
    counts: dict[int, int] = {poll.id: 0 for poll in polls}
    for poll_id in await Vote.filter(poll_id__in=list(counts)).values_list("poll_id", flat=True):
        counts[int(poll_id)] += 1
    return counts


@dataclass(frozen=True)
class RoomSummary:
    """A room as "My rooms" lists it."""

    room: Room
    questions: int


async def rooms_owned_by(user: User) -> list[RoomSummary]:
    """The user's rooms, the active ones first, newest first; with their question counts."""
    rooms = await Room.filter(owner=user).order_by("-created_at", "-id")
    counts: dict[int, int] = {}
    for room_id in await Poll.filter(room_id__in=[room.id for room in rooms]).values_list(
        "room_id", flat=True
    ):
        counts[int(room_id)] = counts.get(int(room_id), 0) + 1
    summaries = [RoomSummary(room, counts.get(room.id, 0)) for room in rooms]
    return sorted(summaries, key=lambda summary: summary.room.archived_at is not None)


async def ballots_of_room(room: Room) -> list[tuple[Poll, list[Vote | Pick]]]:
    """Every stored ballot of every question of the room, question by question in order:
    a vote, or each pick of a `multiple` question (one row per pick)."""
    questions = await room_questions(room)
    rows: list[Vote | Pick] = []
    for model in (Vote, Pick):
        rows += await (
            model.filter(poll_id__in=[poll.id for poll in questions])  # type: ignore[attr-defined]
            .select_related("voter", "choice")
            .order_by("cast_at", "id")
        )
    by_poll: dict[int, list[Vote | Pick]] = {poll.id: [] for poll in questions}
    for vote in sorted(rows, key=lambda row: (row.cast_at, row.id)):
        by_poll[vote.poll_id].append(vote)  # type: ignore[attr-defined]
    return [(poll, by_poll[poll.id]) for poll in questions]
