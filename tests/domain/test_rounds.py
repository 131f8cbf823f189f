"""Rounds (peer instruction) and confidence in the domain: a new round keeps the last one's
ballots, the shift counts who moved where, and confidence is counted per response."""

from __future__ import annotations

import pytest

from crowdsource.domain.models import Pick, RoundBallot, Vote
from crowdsource.domain.poll_input import PollInvalid
from crowdsource.domain.polls import PollCommands
from crowdsource.domain.round_store import NO_VOTES, OPEN_ANSWERS, RoundRefused
from crowdsource.domain.shift import shift_between
from crowdsource.domain.tally_reads import tally_of
from crowdsource.domain.vote_refusals import NotAChoice
from tests.helpers.factories import at, choice_ids, make_poll, make_user, store_vote

pytestmark = pytest.mark.usefixtures("orm")


async def test_a_new_round_keeps_the_last_ones_ballots_and_starts_at_zero(
    polls: PollCommands,
) -> None:
    poll = await make_poll(ask_confidence=True, kind="single")
    a, b, c = await choice_ids(poll)
    ada, bo = await make_user("Ada"), await make_user("Bo")
    await polls.cast_vote(poll, ada, str(a), confidence="sure")
    await polls.cast_vote(poll, bo, str(b))
    await polls.close(poll)
    assert await polls.start_round(poll) == 2
    tally = await tally_of(poll)
    assert tally.is_open and tally.total_votes == 0 and tally.peer.round == 2
    assert [(r.round, r.total_votes, dict(r.votes)) for r in tally.peer.finished] == [
        (1, 2, {a: 1, b: 1, c: 0})
    ]
    kept = (
        await RoundBallot.filter(poll_id=poll.id)
        .order_by("id")
        .values_list("round", "voter_id", "choice_id", "confidence")
    )
    assert kept == [(1, ada.id, a, "sure"), (1, bo.id, b, None)]
    assert not await Vote.filter(poll_id=poll.id).exists()
    await polls.cast_vote(poll, ada, str(b))  # a fresh vote, not a change of mind
    assert (await tally_of(poll)).peer.previous_votes(b) == 1
    assert await polls.start_round(poll) == 3
    assert [r.round for r in (await tally_of(poll)).peer.finished] == [1, 2]


async def test_no_round_without_votes_nor_for_open_answers(polls: PollCommands) -> None:
    poll = await make_poll()
    with pytest.raises(RoundRefused, match=NO_VOTES):
        await polls.start_round(poll)
    text = await make_poll(kind="text", choices=())
    with pytest.raises(RoundRefused, match="open question"):
        await polls.start_round(text)
    assert OPEN_ANSWERS.startswith("An open question")
    (a, *_) = await choice_ids(poll)
    await store_vote(poll, await make_user(), a)
    with pytest.raises(PollInvalid):
        await polls.start_round(poll, closes_at=at("2001-01-01T00:00:00+00:00"))
    fresh = await tally_of(poll)
    assert fresh.peer.round == 1 and fresh.total_votes == 1  # nothing changed


async def test_a_new_round_hides_a_revealed_answer_again(polls: PollCommands) -> None:
    poll = await make_poll(kind="single", correct=(1,))
    a, *_ = await choice_ids(poll)
    await store_vote(poll, await make_user(), a)
    await polls.reveal(poll)
    await polls.start_round(poll)
    assert not (await tally_of(poll)).revealed


async def test_the_shift_counts_switches_stays_abstentions_and_newcomers(
    polls: PollCommands,
) -> None:
    poll = await make_poll(kind="single", correct=(2,))
    a, b, c = await choice_ids(poll)
    people = [await make_user(name) for name in ("P1", "P2", "P3", "P4", "P5")]
    for person, choice in zip(people[:4], (a, a, b, c), strict=True):
        await store_vote(poll, person, choice)
    await polls.start_round(poll)
    # P1 a->c (to the correct one), P2 a->b, P3 stays on b, P4 abstains, P5 joins.
    for person, choice in zip(
        (people[0], people[1], people[2], people[4]), (c, b, b, a), strict=True
    ):
        await store_vote(poll, person, choice)
    shift = (await tally_of(poll)).peer.shift
    assert shift is not None
    assert {(m.from_id, m.to_id): m.count for m in shift.moves} == {(a, c): 1, (a, b): 1, (b, b): 1}
    assert (shift.both, shift.changed, shift.towards_correct) == (3, 2, 1)
    assert (shift.left, shift.joined) == (1, 1)
    assert [(m.from_id, m.to_id) for m in shift.moves] == [(a, b), (a, c), (b, b)]  # in order
    assert shift.moves[1].voters[0].login == people[0].login


def test_a_multiple_ballots_move_pairs_each_dropped_with_each_added() -> None:
    shift = shift_between(
        {1: frozenset({10, 11}), 2: frozenset({10})},
        {1: frozenset({10, 12}), 2: frozenset({10, 11})},
        order=[10, 11, 12],
        correct=frozenset({10, 12}),
    )
    assert {(m.from_id, m.to_id): m.count for m in shift.moves} == {(10, 10): 2, (11, 12): 1}
    assert (shift.changed, shift.towards_correct) == (2, 1)


async def test_multiple_rounds_archive_each_pick(polls: PollCommands) -> None:
    poll = await make_poll(kind="multiple")
    a, b, _ = await choice_ids(poll)
    await store_vote(poll, await make_user(), (a, b))
    await polls.start_round(poll)
    assert await RoundBallot.filter(poll_id=poll.id).count() == 2
    assert not await Pick.filter(poll_id=poll.id).exists()
    assert dict((await tally_of(poll)).peer.finished[0].votes) == {a: 1, b: 1, _: 0}


async def test_confidence_is_counted_per_response_and_confidently_wrong_ones(
    polls: PollCommands,
) -> None:
    poll = await make_poll(kind="single", correct=(1,), ask_confidence=True)
    a, b, _ = await choice_ids(poll)
    for name, choice, said in (("S1", a, "sure"), ("S2", b, "sure"), ("S3", b, "guess")):
        await polls.cast_vote(poll, await make_user(name), str(choice), confidence=said)
    await polls.cast_vote(poll, await make_user("S4"), str(b), confidence="")  # left out
    peer = (await tally_of(poll)).peer
    assert peer.sure(a) == (1, 0, 0) and peer.sure(b) == (1, 0, 1)
    assert peer.confident_wrong == 1  # S2: sure, and b is not the answer
    with pytest.raises(NotAChoice, match="sure, unsure or guess"):
        await polls.cast_vote(poll, await make_user("S5"), str(a), confidence="maybe")
    assert (await tally_of(poll)).total_votes == 4


async def test_confidence_is_not_stored_where_it_is_not_asked(polls: PollCommands) -> None:
    poll = await make_poll()
    a, *_ = await choice_ids(poll)
    await polls.cast_vote(poll, await make_user(), str(a), confidence="sure")
    assert await Vote.filter(poll_id=poll.id).values_list("confidence", flat=True) == [None]
