"""A room's report: members by asked questions, answered and (quizzes) correct, with rates;
roster members who never answered, and people who answered without being on it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest
from tortoise.expressions import Q

from crowdsource.domain import clock
from crowdsource.domain.models import Poll, Room, User
from crowdsource.domain.room_input import validate_question
from crowdsource.domain.room_report import my_answers, room_report, sorted_rows
from crowdsource.domain.rooms import RoomCommands
from crowdsource.domain.roster import validate_roster
from tests.helpers.announcer import recorded_room_commands
from tests.helpers.factories import choice_ids, make_user, store_answer, store_vote
from tests.helpers.roster import github_user

pytestmark = pytest.mark.usefixtures("orm")


@dataclass
class Course:
    rooms: RoomCommands
    owner: User
    room: Room


@pytest.fixture
async def course() -> AsyncIterator[Course]:
    rooms, _, closing = recorded_room_commands()
    await closing.start()
    owner = await make_user("Alex Owner")
    yield Course(rooms, owner, await rooms.create(owner, "CS 101"))
    await closing.stop()


async def ask(course: Course, question: str, launch: bool = True, **fields: Any) -> Poll:
    fields.setdefault("choices", ["4", "7", "9"])
    spec = validate_question(question=question, launch=launch, now=clock.now(), **fields)
    return await course.rooms.add_question(course.room, course.owner, spec, launch=launch)


async def test_rates_correct_and_members_off_the_roster(course: Course) -> None:
    ada, bob, eve = await github_user("ada"), await github_user("bob"), await github_user("eve")
    quiz = await ask(course, "Prime?", correct=["2"])  # 7
    q = await choice_ids(quiz)
    await store_vote(quiz, ada, q[1])
    await store_vote(quiz, bob, q[0])
    await store_vote(quiz, course.owner, q[1])  # the owner is never a member
    multi = await ask(course, "Odd?", kind_values={"kind": "multiple"}, correct=["2", "3"])
    m = await choice_ids(multi)
    await store_vote(multi, ada, (m[1], m[2]))
    await store_vote(multi, bob, (m[1],))  # half right is wrong
    words = await ask(course, "Say", choices=[], kind_values={"kind": "text"})
    await store_answer(words, eve, "hello")
    await ask(course, "Later", launch=False)  # a draft: no column
    # The roster comes after eve answered (or she was moved off it): she is still shown.
    await course.rooms.set_roster(course.room, validate_roster("ada\nbob\ncy", "", ""))
    report = await room_report(course.room)
    assert [question.text for question in report.questions] == ["Prime?", "Odd?", "Say"]
    assert report.from_roster and report.has_quiz
    rows = {row.login: row for row in report.rows}
    assert list(rows) == ["ada", "bob", "cy", "eve"]
    assert not rows["eve"].on_roster and rows["cy"].on_roster
    assert [(c.answered, c.correct) for c in rows["ada"].cells] == [
        (True, True),
        (True, True),
        (False, None),
    ]
    assert rows["ada"].answer_rate == pytest.approx(2 / 3) and rows["ada"].correct_rate == 1
    assert rows["bob"].correct == 0 and rows["bob"].correct_rate == 0
    assert rows["cy"].answered == 0 and rows["cy"].correct_rate is None
    assert rows["eve"].cells[2] == type(rows["eve"].cells[2])(True, None)
    first, _, text = report.questions
    assert (first.answered, first.correct, first.members) == (2, 1, 4)
    assert first.answer_rate == 0.5 and first.correct_rate == 0.5
    assert not text.quiz and text.correct_rate is None and text.answer_rate == 0.25


async def test_without_roster_everyone_who_answered(course: Course) -> None:
    poll = await ask(course, "Prime?")
    zed, amy = await make_user("Zed"), await make_user("Amy")
    ids = await choice_ids(poll)
    await store_vote(poll, zed, ids[0])
    await store_vote(poll, amy, ids[1])
    report = await room_report(course.room)
    assert not report.from_roster and not report.has_quiz
    assert [row.name for row in report.rows] == ["Amy", "Zed"]
    assert all(row.on_roster is False for row in report.rows)


async def test_nobody_mode_counts_answers_never_choices(course: Course) -> None:
    poll = await ask(course, "Prime?", correct=["2"])
    ada = await make_user("Ada")
    await store_vote(poll, ada, (await choice_ids(poll))[1])
    await Poll.filter(Q(id=poll.id)).update(show_voters="nobody")  # ShowVoters.NOBODY's value
    report = await room_report(course.room)
    assert not report.questions[0].quiz
    assert report.rows[0].cells[0].answered and report.rows[0].cells[0].correct is None
    mine = await my_answers(course.room, ada)
    assert mine[0].secret and mine[0].given == () and mine[0].correct is None


async def test_sorting_by_name_rate_and_correct(course: Course) -> None:
    amy, bea, cat = await make_user("Amy"), await make_user("Bea"), await make_user("Cat")
    first = await ask(course, "One", correct=["1"])
    one = await choice_ids(first)
    await store_vote(first, amy, one[1])
    await store_vote(first, cat, one[0])
    second = await ask(course, "Two")
    two = await choice_ids(second)
    await store_vote(second, cat, two[0])
    await store_vote(second, bea, two[0])
    rows = (await room_report(course.room)).rows
    assert [r.name for r in sorted_rows(rows, "name")] == ["Amy", "Bea", "Cat"]
    assert [r.name for r in sorted_rows(rows, "rate")] == ["Cat", "Amy", "Bea"]
    assert [r.name for r in sorted_rows(rows, "correct")] == ["Cat", "Amy", "Bea"]


async def test_my_answers_are_mine_only_and_judged_after_the_reveal(course: Course) -> None:
    ada, bob = await make_user("Ada"), await make_user("Bob")
    quiz = await ask(course, "Prime?", correct=["2"])
    ids = await choice_ids(quiz)
    await store_vote(quiz, ada, ids[1])
    await store_vote(quiz, bob, ids[0])
    words = await ask(course, "Say", choices=[], kind_values={"kind": "text"})
    await store_answer(words, ada, "mine")
    await store_answer(words, bob, "theirs")
    await ask(course, "Skipped")
    mine = await my_answers(course.room, ada)
    assert [(a.question, a.given, a.correct) for a in mine] == [
        ("Prime?", ("7",), None),
        ("Say", ("mine",), None),
    ]
    await Poll.filter(id=quiz.id).update(revealed_at=clock.now())
    assert (await my_answers(course.room, bob))[0].correct is False
    assert (await my_answers(course.room, ada))[0].correct is True
