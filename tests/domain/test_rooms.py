"""Room commands: launch, next and back to waiting; prepared questions; ordering; votes for
the current question only; and what each announces."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta

import pytest

from crowdsource.domain import clock
from crowdsource.domain.closing import CloseScheduler
from crowdsource.domain.models import Poll, Room, User, Vote
from crowdsource.domain.poll_input import PollInvalid
from crowdsource.domain.poll_queries import PollNotFound
from crowdsource.domain.room_input import RoomInvalid, clean_room_name, validate_question
from crowdsource.domain.room_queries import (
    NotInRoom,
    RoomNotFound,
    get_room,
    question_of,
    room_questions,
    rooms_owned_by,
)
from crowdsource.domain.rooms import RoomCommands
from crowdsource.domain.vote_refusals import NoQuestionNow, NotAskedYet, PollClosed, QuestionEnded
from tests.helpers.announcer import RecordingAnnouncer, recorded_room_commands
from tests.helpers.factories import choice_ids, make_user

pytestmark = pytest.mark.usefixtures("orm")


@dataclass
class Wired:
    rooms: RoomCommands
    announced: RecordingAnnouncer
    closing: CloseScheduler
    owner: User
    room: Room


@pytest.fixture
async def wired() -> AsyncIterator[Wired]:
    rooms, announced, closing = recorded_room_commands()
    await closing.start()
    owner = await make_user("Alex Owner")
    room = await rooms.create(owner, "CS 101")
    yield Wired(rooms, announced, closing, owner, room)
    await closing.stop()


async def add(
    wired: Wired, question: str = "Which is prime?", *, launch: bool, **fields: str
) -> Poll:
    spec = validate_question(
        question=question, choices=["4", "7"], launch=launch, now=clock.now(), **fields
    )
    return await wired.rooms.add_question(wired.room, wired.owner, spec, launch=launch)


async def current_id(room: Room) -> int | None:
    return (await Room.get(id=room.id)).current_id  # type: ignore[attr-defined]


async def test_a_room_is_found_by_its_code_in_any_shape(wired: Wired) -> None:
    code = wired.room.code
    assert (await get_room(f"{code[:3].lower()}-{code[3:]}")).id == wired.room.id
    for wrong in ("ZZZZZZ", "nonsense!", ""):
        with pytest.raises(RoomNotFound):
            await get_room(wrong)


async def test_room_names_are_one_clean_line_of_80_at_most() -> None:
    assert clean_room_name("  CS\t101 \n Spring ") == "CS 101 Spring"
    for bad in ("", "   ", "x" * 81, None):
        with pytest.raises(RoomInvalid):
            clean_room_name(bad)


async def test_asking_now_makes_it_current_open_and_announced(wired: Wired) -> None:
    poll = await add(wired, launch=True)
    assert await current_id(wired.room) == poll.id
    stored = await Poll.get(id=poll.id)
    assert not stored.draft and stored.closed_at is None
    assert wired.announced.rooms == [wired.room.id]
    assert poll.id in wired.announced


async def test_a_prepared_question_is_not_votable_until_launched(wired: Wired) -> None:
    poll = await add(wired, launch=False, closes_in="2")
    voter = await make_user("Ada")
    with pytest.raises(NotAskedYet):
        await wired.rooms._polls.cast_vote(poll, voter, (await choice_ids(poll))[0])
    assert await current_id(wired.room) is None
    before = clock.now()
    await wired.rooms.launch(wired.room, poll)
    stored = await Poll.get(id=poll.id)
    assert not stored.draft
    assert stored.closes_at is not None  # its two minutes start when it is asked
    assert timedelta(minutes=2) <= stored.closes_at - before <= timedelta(minutes=2, seconds=5)
    assert poll.id in wired.closing.armed


async def test_launching_another_closes_the_one_shown_before(wired: Wired) -> None:
    first = await add(wired, launch=True)
    second = await add(wired, "Second?", launch=True)
    assert (await Poll.get(id=first.id)).closed_at is not None
    assert await current_id(wired.room) == second.id
    voter = await make_user("Ada")
    with pytest.raises(PollClosed):
        await wired.rooms._polls.cast_vote(first, voter, (await choice_ids(first))[0])
    # Shown again: it stays closed (the owner may reopen it).
    await wired.rooms.launch(wired.room, first)
    assert (await Poll.get(id=first.id)).closed_at is not None
    assert (await Poll.get(id=second.id)).closed_at is not None


async def test_next_follows_the_order_then_waits(wired: Wired) -> None:
    one = await add(wired, "One?", launch=False)
    two = await add(wired, "Two?", launch=False)
    three = await add(wired, "Three?", launch=False)
    assert await wired.rooms.move_question(wired.room, three, -1)
    assert not await wired.rooms.move_question(wired.room, one, -1)  # already first
    assert [p.id for p in await room_questions(wired.room)] == [one.id, three.id, two.id]
    seen = [await wired.rooms.next(wired.room) for _ in range(4)]
    assert [p.id if p else None for p in seen] == [one.id, three.id, two.id, None]
    assert await current_id(wired.room) is None


async def test_votes_go_to_the_current_question_only(wired: Wired) -> None:
    voter = await make_user("Ada")
    with pytest.raises(NoQuestionNow):
        await wired.rooms.cast_vote(wired.room, None, voter, "1")
    old = await add(wired, launch=True)
    old_choice = (await choice_ids(old))[0]
    poll, chosen = await wired.rooms.cast_vote(wired.room, old.slug, voter, old_choice)
    assert poll.id == old.id and chosen.labels == ("4",)
    new = await add(wired, "Next?", launch=True)
    with pytest.raises(QuestionEnded):
        await wired.rooms.cast_vote(wired.room, old.slug, voter, old_choice)
    assert await Vote.filter(poll_id=new.id).count() == 0
    assert await Vote.filter(poll_id=old.id).count() == 1


async def test_the_question_a_screen_shows_is_checked_when_the_vote_is_stored(
    wired: Wired,
) -> None:
    """The caller may say which question the voter's screen shows (no read per vote); the
    vote's own transaction still refuses it once the room has moved on, even when that
    question is open again on its own page."""
    first = await add(wired, launch=True)
    one = (await choice_ids(first))[0]
    voters = [await make_user(f"S{n}") for n in range(20)]
    await asyncio.gather(
        *(wired.rooms.cast_vote(wired.room, None, v, one, showing=first) for v in voters)
    )
    assert await Vote.filter(poll_id=first.id).count() == 20
    second = await add(wired, "Next?", launch=True)
    await wired.rooms._polls.reopen(first, None)  # open again, but no longer the room's
    late = await make_user("Late")
    for slug in (None, first.slug):
        with pytest.raises(QuestionEnded):
            await wired.rooms.cast_vote(wired.room, slug, late, one, showing=first)
    await wired.rooms._polls.cast_vote(first, late, one)  # its own page still takes it
    await wired.rooms.launch(wired.room, None)
    with pytest.raises(NoQuestionNow):
        await wired.rooms.cast_vote(
            wired.room, None, late, (await choice_ids(second))[0], showing=second
        )
    assert await Vote.filter(poll_id=second.id).count() == 0
    assert await Vote.filter(poll_id=first.id).count() == 21


async def test_only_prepared_questions_can_be_edited(wired: Wired) -> None:
    draft = await add(wired, launch=False)
    spec = validate_question(
        question="Edited?", choices=["a", "b", "c"], launch=False, now=clock.now()
    )
    await wired.rooms.edit_question(wired.room, draft, spec)
    assert (await Poll.get(id=draft.id)).question == "Edited?"
    assert len(await choice_ids(draft)) == 3
    await wired.rooms.launch(wired.room, draft)
    with pytest.raises(PollNotFound):
        await wired.rooms.edit_question(wired.room, draft, spec)


async def test_deleting_the_current_question_sends_every_screen_back_to_waiting(
    wired: Wired,
) -> None:
    poll = await add(wired, launch=True)
    wired.announced.rooms.clear()
    assert await wired.rooms.delete_question(wired.room, poll)
    assert await current_id(wired.room) is None
    assert wired.announced.rooms and set(wired.announced.rooms) == {wired.room.id}
    assert not await Poll.exists(id=poll.id)


async def test_a_question_of_another_room_is_not_this_rooms(wired: Wired) -> None:
    other = await wired.rooms.create(wired.owner, "Other")
    poll = await add(wired, launch=True)
    with pytest.raises(NotInRoom):
        await question_of(other, poll.slug)
    with pytest.raises(NotInRoom):
        await question_of(wired.room, "no-such-slug")


async def test_presets_fill_blanks_and_unknown_ones_are_refused() -> None:
    spec = validate_question(
        question="", choices=[], preset="understanding", launch=True, now=clock.now()
    )
    assert spec.poll.question == "How well are you following?"
    assert spec.poll.choices == (
        "This is old hat to me",
        "I have an okay understanding of this",
        "I have no idea what you're babbling about",
    )
    mine = validate_question(
        question="Mine?", choices=[], preset="yes_no", launch=True, now=clock.now()
    )
    assert mine.poll.question == "Mine?" and mine.poll.choices == ("Yes", "No")
    with pytest.raises(PollInvalid, match="no quick question called 'nope'"):
        validate_question(question="", choices=[], preset="nope", launch=True, now=clock.now())


async def test_archiving_clears_the_screen_and_lists_last(wired: Wired) -> None:
    await add(wired, launch=True)
    newer = await wired.rooms.create(wired.owner, "Newer")
    assert await wired.rooms.archive(newer)
    assert not await wired.rooms.archive(newer)  # already archived: nothing announced
    assert await wired.rooms.archive(wired.room)
    assert await current_id(wired.room) is None
    listed = await rooms_owned_by(wired.owner)
    assert [s.room.name for s in listed] == ["Newer", "CS 101"]
    assert [s.questions for s in listed] == [0, 1]
    assert await wired.rooms.archive(wired.room, False)
    assert (await Room.get(id=wired.room.id)).archived_at is None
