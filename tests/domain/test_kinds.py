"""Kinds of question in the domain: what a form may create, what a ballot of each kind holds,
how it replaces an earlier one, and how results are counted."""

from __future__ import annotations

import pytest

from crowdsource.domain import clock
from crowdsource.domain.ballots import vote_confirmation
from crowdsource.domain.kinds import Kind, contains_banned, read_given
from crowdsource.domain.models import Answer, Choice, Pick, Vote
from crowdsource.domain.poll_input import PollInvalid, validate_poll
from crowdsource.domain.polls import PollCommands
from crowdsource.domain.tally_reads import tally_of
from crowdsource.domain.vote_refusals import HiddenAnswer, NotAChoice, Rephrase
from tests.helpers.factories import make_poll, make_user, store_answer, store_vote

pytestmark = pytest.mark.usefixtures("orm")


def form(**kind_values: object) -> dict[str, object]:
    correct = kind_values.pop("correct", ())
    choices = kind_values.pop("choices", ("Red", "Green", "Blue"))
    return {
        "question": "Which?",
        "choices": choices,
        "kind_values": kind_values,
        "correct": correct,
        "now": clock.now(),
    }


def problems(**kind_values: object) -> dict[str, str]:
    with pytest.raises(PollInvalid) as invalid:
        validate_poll(**form(**kind_values))
    return invalid.value.errors


def test_a_poll_is_pick_one_unless_told_otherwise() -> None:
    spec = validate_poll(**form())
    assert spec.kind.kind == Kind.SINGLE and spec.responses == ("Red", "Green", "Blue")


def test_multiple_takes_limits_within_the_responses() -> None:
    spec = validate_poll(**form(kind="multiple", min_picks="2", max_picks="3"))
    assert (spec.kind.min_picks, spec.kind.max_picks) == (2, 3)
    assert validate_poll(**form(kind="multiple")).kind.max_picks == 3  # default: all
    assert "max_picks" in problems(kind="multiple", max_picks="4")
    assert "max_picks" in problems(kind="multiple", min_picks="3", max_picks="2")
    assert "min_picks" in problems(kind="multiple", min_picks="zero")


def test_a_scale_has_its_numbers_for_responses() -> None:
    spec = validate_poll(**form(kind="scale", scale_min="0", scale_max="10", choices=()))
    assert spec.responses == tuple(str(n) for n in range(11))
    assert validate_poll(**form(kind="scale", choices=())).responses == ("1", "2", "3", "4", "5")
    assert set(problems(kind="scale", scale_min="2", scale_max="11")) == {"scale_min", "scale_max"}
    assert "scale_max_label" in problems(kind="scale", scale_max_label="x" * 41)


def test_a_text_question_needs_no_responses_and_cleans_its_banned_words() -> None:
    spec = validate_poll(**form(kind="text", choices=(), banned_words=" Foo ,bar,, foo "))
    assert spec.responses == () and spec.kind.banned_words == "foo, bar"


def test_quiz_positions_are_checked() -> None:
    spec = validate_poll(**form(correct=["2"]))
    assert spec.kind.correct == (1,)
    assert "correct" in problems(correct=["4"])
    assert "correct" in problems(correct=["1", "2"])  # pick one: one correct response
    assert validate_poll(**form(kind="multiple", correct=["1", "3"])).kind.correct == (0, 2)
    assert "kind" in problems(kind="essay")


@pytest.mark.parametrize(
    ("kind", "choice", "answer", "message"),
    [
        ("single", ["1", "2"], None, "Pick one"),
        ("scale", None, None, "Pick one"),
        ("multiple", [], None, "at least one"),
        ("multiple", ["1", "x"], None, "Pick one"),
        ("text", None, "   ", "Write your answer"),
        ("text", None, "x" * 281, "280 characters"),
        ("text", None, {"a": 1}, "Write your answer"),
    ],
)
def test_malformed_ballots_say_what_is_wrong(
    kind: str, choice: object, answer: object, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        read_given(kind, choice, answer)


def test_banned_words_match_whole_words_in_any_case() -> None:
    assert contains_banned("That is DUMB.", ("dumb",))
    assert not contains_banned("dumbbell", ("dumb",))
    assert contains_banned("a very bad idea", ("bad idea",))


async def test_multiple_stores_the_set_and_a_change_of_mind_replaces_it(
    polls: PollCommands,
) -> None:
    poll = await make_poll(kind="multiple", min_picks=1, max_picks=2)
    red, green, blue = [c.id for c in await Choice.filter(poll_id=poll.id).order_by("position")]
    ada, bo = await make_user("Ada"), await make_user("Bo")
    receipt = await polls.cast_vote(poll, ada, [str(blue), str(red)])
    assert vote_confirmation(receipt) == "Your picks “Old hat”, “No idea” are in."
    await polls.cast_vote(poll, bo, str(red))  # a lone id is a list of one
    await polls.cast_vote(poll, ada, [green])
    tally = await tally_of(poll)
    assert [c.votes for c in tally.choices] == [1, 1, 0]
    assert tally.total_votes == 2 and tally.choice_of(ada.id).picks == {green}
    assert await Pick.filter(poll_id=poll.id).count() == 2 and await Vote.all().count() == 0


async def test_multiple_enforces_its_limits(polls: PollCommands) -> None:
    poll = await make_poll(kind="multiple", min_picks=2, max_picks=2)
    ids = [c.id for c in await Choice.filter(poll_id=poll.id)]
    with pytest.raises(NotAChoice, match="at least 2"):
        await polls.cast_vote(poll, await make_user(), [ids[0]])
    with pytest.raises(NotAChoice, match="at most 2"):
        await polls.cast_vote(poll, await make_user(), ids)
    other = await make_poll()
    foreign = (await Choice.filter(poll_id=other.id).first()).id  # type: ignore[union-attr]
    with pytest.raises(NotAChoice, match="not part of this poll"):
        await polls.cast_vote(poll, await make_user(), [ids[0], foreign])
    assert await Pick.all().count() == 0


async def test_a_scale_counts_mean_and_median() -> None:
    poll = await make_poll(kind="scale", scale_min=1, scale_max=5, choices=())
    by_label = {c.label: c.id for c in await Choice.filter(poll_id=poll.id)}
    assert (await tally_of(poll)).mean is None
    for number in ("1", "2", "2", "5"):
        await store_vote(poll, await make_user(), by_label[number])
    tally = await tally_of(poll)
    assert tally.mean == 2.5 and tally.median == 2.0
    await store_vote(poll, await make_user(), by_label["4"])
    tally = await tally_of(poll)
    assert tally.mean == pytest.approx(2.8) and tally.median == 2.0


async def test_text_answers_replace_count_people_and_hide(polls: PollCommands) -> None:
    poll = await make_poll(kind="text", choices=(), banned_words="dumb")
    ada, bo = await make_user("Ada"), await make_user("Bo")
    receipt = await polls.cast_vote(poll, ada, answer="Photosynthesis makes sugar")
    assert vote_confirmation(receipt) == "Your answer is in."
    await polls.cast_vote(poll, ada, answer="Plants make SUGAR from light")
    await store_answer(poll, bo, "sugar and oxygen")
    with pytest.raises(Rephrase, match="Please rephrase"):
        await polls.cast_vote(poll, bo, answer="a dumb question")
    tally = await tally_of(poll)
    assert [a.text for a in tally.answers] == ["Plants make SUGAR from light", "sugar and oxygen"]
    assert tally.total_votes == 2 and dict(tally.words)["sugar"] == 2
    assert "and" not in dict(tally.words)  # a stop word
    first = tally.answers[0].id
    assert await polls.hide_answer(poll, first) and not await polls.hide_answer(poll, first)
    tally = await tally_of(poll)
    assert [a.text for a in tally.answers] == ["sugar and oxygen"] and tally.total_votes == 1
    assert tally.choice_of(ada.id).answer == "Plants make SUGAR from light"  # still theirs
    with pytest.raises(HiddenAnswer, match="different one"):  # sent again as it was: refused
        await polls.cast_vote(poll, ada, answer="plants make sugar from LIGHT")
    await polls.cast_vote(poll, ada, answer="Light becomes sugar")  # rephrased: shown again
    assert [a.text for a in (await tally_of(poll)).answers][-1] == "Light becomes sugar"
    assert await Answer.filter(poll_id=poll.id).count() == 2


async def test_a_quiz_keeps_its_answer_until_revealed(polls: PollCommands) -> None:
    poll = await make_poll(kind="single", correct=(1,))
    tally = await tally_of(poll)
    assert tally.is_quiz and not tally.revealed
    assert tally.correct_ids == {tally.choices[1].id}
    assert await polls.reveal(poll) and not await polls.reveal(poll)
    assert (await tally_of(poll)).revealed
    assert not await polls.reveal(await make_poll())  # no quiz: nothing to reveal


async def test_a_copy_keeps_the_kind_and_its_settings(polls: PollCommands) -> None:
    scale = await make_poll(
        kind="scale", scale_min=0, scale_max=3, scale_min_label="No", choices=()
    )
    copy = await polls.duplicate(scale, await make_user("Copier"))
    tally = await tally_of(copy)
    assert tally.kind == Kind.SCALE and [c.label for c in tally.choices] == ["0", "1", "2", "3"]
    assert tally.scale_min_label == "No"
    quiz = await make_poll(kind="multiple", max_picks=2, correct=(0, 2))
    copied = await tally_of(await polls.duplicate(quiz, await make_user("Copier")))
    assert copied.max_picks == 2 and len(copied.correct_ids) == 2
