"""The poll lifecycle in the domain: scheduled close, reopen, extend, reveal, duplicate, delete.

Every function takes `now=`, so time moves only when a test says so."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from crowdsource.domain import poll_store
from crowdsource.domain.models import Choice, Poll, Vote
from crowdsource.domain.poll_input import PollInvalid
from crowdsource.domain.poll_queries import (
    PollNotFound,
    get_poll,
    overdue_poll_ids,
    scheduled_polls,
)
from crowdsource.domain.tally_reads import tally_of
from crowdsource.domain.visibility import is_open
from crowdsource.domain.vote_refusals import VoteRejected
from tests.helpers.factories import choice_ids, make_poll, make_user, store_vote

pytestmark = pytest.mark.usefixtures("orm")

T0 = datetime(2030, 3, 4, 9, 0, tzinfo=UTC)


def minutes(n: float) -> timedelta:
    return timedelta(minutes=n)


async def fresh(poll: Poll) -> Poll:
    return await Poll.get(id=poll.id)


# Scheduled close -------------------------------------------------------------------------


async def test_close_if_due_waits_for_the_end_time_then_closes_at_that_instant() -> None:
    poll = await make_poll(closes_at=T0 + minutes(5))
    assert (
        await poll_store.close_if_due(poll.id, now=T0 + minutes(5) - timedelta(microseconds=1))
        is False
    )
    assert (await fresh(poll)).closed_at is None
    assert await poll_store.close_if_due(poll.id, now=T0 + minutes(7)) is True
    assert (await fresh(poll)).closed_at == T0 + minutes(5)
    assert await poll_store.close_if_due(poll.id, now=T0 + minutes(8)) is False


async def test_close_if_due_leaves_polls_without_end_time_or_already_closed() -> None:
    endless = await make_poll()
    assert await poll_store.close_if_due(endless.id, now=T0) is False
    closed = await make_poll(closes_at=T0 + minutes(5))
    await poll_store.close_poll(closed, now=T0 + minutes(1))
    assert await poll_store.close_if_due(closed.id, now=T0 + minutes(6)) is False
    assert (await fresh(closed)).closed_at == T0 + minutes(1)


async def test_an_extend_before_the_timer_fires_wins() -> None:
    poll = await make_poll(closes_at=T0 + minutes(5))
    await poll_store.extend_poll(poll, 5, now=T0 + minutes(4))
    assert await poll_store.close_if_due(poll.id, now=T0 + minutes(5)) is False
    assert is_open(await fresh(poll), T0 + minutes(9))
    assert await poll_store.close_if_due(poll.id, now=T0 + minutes(10)) is True


async def test_overdue_and_scheduled_polls_are_found_from_the_database() -> None:
    overdue = await make_poll(closes_at=T0 + minutes(1))
    upcoming = await make_poll(closes_at=T0 + minutes(30))
    await make_poll()
    closed = await make_poll(closes_at=T0 + minutes(2))
    await poll_store.close_poll(closed, now=T0)
    later = T0 + minutes(10)
    assert await overdue_poll_ids(now=later) == [overdue.id]
    assert [poll.id for poll in await scheduled_polls(now=later)] == [upcoming.id]


async def test_votes_racing_the_close_instant_are_decided_by_their_own_time() -> None:
    poll = await make_poll(closes_at=T0)
    ids = await choice_ids(poll)
    early = [await make_user(f"Early {n}") for n in range(5)]
    late = [await make_user(f"Late {n}") for n in range(5)]
    before, after = T0 - timedelta(milliseconds=1), T0
    results = await asyncio.gather(
        poll_store.close_if_due(poll.id, now=T0),
        *(store_vote(poll, voter, ids[0], now=before) for voter in early),
        *(store_vote(poll, voter, ids[1], now=after) for voter in late),
        return_exceptions=True,
    )
    closed, *votes = results
    assert closed is True
    assert not any(isinstance(outcome, Exception) for outcome in votes[:5])
    assert all(isinstance(outcome, VoteRejected) for outcome in votes[5:])
    tally = await tally_of(poll, now=T0)
    assert [choice.votes for choice in tally.choices] == [5, 0, 0]


# Reopen, extend ----------------------------------------------------------------------------


async def test_reopen_keeps_votes_and_sets_a_new_end_or_none() -> None:
    poll = await make_poll(closes_at=T0 + minutes(5))
    voter = await make_user()
    first = (await choice_ids(poll))[0]
    await store_vote(poll, voter, first, now=T0)
    await poll_store.close_poll(poll, now=T0 + minutes(1))
    await poll_store.reopen_poll(poll, T0 + minutes(20), now=T0 + minutes(2))
    stored = await fresh(poll)
    assert (stored.closed_at, stored.closes_at) == (None, T0 + minutes(20))
    assert (await tally_of(stored, now=T0 + minutes(2))).total_votes == 1
    await poll_store.reopen_poll(poll, None, now=T0 + minutes(30))
    assert is_open(await fresh(poll), T0 + minutes(1000))


async def test_reopen_refuses_an_end_time_in_the_past_and_changes_nothing() -> None:
    poll = await make_poll()
    await poll_store.close_poll(poll, now=T0)
    with pytest.raises(PollInvalid) as refused:
        await poll_store.reopen_poll(poll, T0, now=T0)
    assert "already passed" in refused.value.errors["closes_at"]
    assert (await fresh(poll)).closed_at == T0


@pytest.mark.parametrize(
    ("closes_at", "closed_at", "expected_end"),
    [
        (T0 + minutes(10), None, T0 + minutes(15)),  # running with an end: later by 5
        (None, None, T0 + minutes(5)),  # running without an end: ends in 5
        (T0 - minutes(1), None, T0 + minutes(5)),  # ended by time: 5 more from now
        (T0 + minutes(10), T0 - minutes(2), T0 + minutes(5)),  # closed by hand early
    ],
)
async def test_extend_from_the_end_time_or_from_now(
    closes_at: datetime | None, closed_at: datetime | None, expected_end: datetime
) -> None:
    poll = await make_poll()
    await Poll.filter(id=poll.id).update(closes_at=closes_at, closed_at=closed_at)
    poll = await fresh(poll)
    assert await poll_store.extend_poll(poll, 5, now=T0) == expected_end
    stored = await fresh(poll)
    assert (stored.closes_at, stored.closed_at) == (expected_end, None)
    assert is_open(stored, T0)


@pytest.mark.parametrize("bad", [0, -5, 1441, True])
async def test_extend_refuses_minutes_out_of_range(bad: int) -> None:
    poll = await make_poll(closes_at=T0 + minutes(10))
    with pytest.raises(PollInvalid) as refused:
        await poll_store.extend_poll(poll, bad, now=T0)
    assert "minutes" in refused.value.errors
    assert (await fresh(poll)).closes_at == T0 + minutes(10)


async def test_reopen_refuses_an_end_time_past_the_latest_and_changes_nothing() -> None:
    poll = await make_poll()
    await poll_store.close_poll(poll, now=T0)
    with pytest.raises(PollInvalid) as refused:
        await poll_store.reopen_poll(poll, datetime(9999, 12, 31, tzinfo=UTC), now=T0)
    assert "before the year 3000" in refused.value.errors["closes_at"]
    assert (await fresh(poll)).closed_at == T0


@pytest.mark.parametrize(
    "closes_at", [datetime(2999, 12, 31, 23, 50, tzinfo=UTC), datetime.max.replace(tzinfo=UTC)]
)
async def test_extend_past_the_latest_end_time_says_so_and_changes_nothing(
    closes_at: datetime,
) -> None:
    poll = await make_poll(closes_at=closes_at)
    with pytest.raises(PollInvalid) as refused:
        await poll_store.extend_poll(poll, 15, now=T0)
    assert "cannot be extended" in refused.value.errors["minutes"]
    assert (await fresh(poll)).closes_at == closes_at


async def test_two_extends_at_once_both_count() -> None:
    poll = await make_poll(closes_at=T0 + minutes(10))
    await asyncio.gather(
        poll_store.extend_poll(poll, 5, now=T0), poll_store.extend_poll(poll, 5, now=T0)
    )
    assert (await fresh(poll)).closes_at == T0 + minutes(20)


async def test_lifecycle_changes_of_a_deleted_poll_say_it_is_gone() -> None:
    poll = await make_poll()
    await poll_store.delete_poll(poll)
    with pytest.raises(PollNotFound):
        await poll_store.extend_poll(poll, 5, now=T0)
    with pytest.raises(PollNotFound):
        await poll_store.reopen_poll(poll, None, now=T0)
    with pytest.raises(PollNotFound):
        await poll_store.set_visibility(poll, "always", "owner")
    with pytest.raises(PollNotFound):
        await poll_store.duplicate_poll(poll, await make_user())


# Reveal ----------------------------------------------------------------------------------


async def test_set_visibility_stores_both_settings_and_says_when_nothing_changed() -> None:
    poll = await make_poll(results_visibility="after_close")
    assert await poll_store.set_visibility(poll, "always", "everyone") is True
    stored = await fresh(poll)
    assert (stored.results_visibility, stored.show_voters) == ("always", "everyone")
    assert await poll_store.set_visibility(poll, "always", "everyone") is False
    assert (await tally_of(stored)).show_voters == "everyone"


async def test_set_visibility_refuses_unknown_values_and_changes_nothing() -> None:
    poll = await make_poll()
    with pytest.raises(PollInvalid) as refused:
        await poll_store.set_visibility(poll, "sometimes", "strangers")
    assert set(refused.value.errors) == {"results_visibility", "show_voters"}
    stored = await fresh(poll)
    assert (stored.results_visibility, stored.show_voters) == ("always", "owner")


# Duplicate, delete -------------------------------------------------------------------------


async def test_duplicate_copies_question_responses_and_settings_without_votes() -> None:
    original = await make_poll(
        question="Again?",
        choices=("B first", "A second", "C third"),
        closes_at=T0 + minutes(5),
        results_visibility="after_vote",
        show_voters="everyone",
    )
    await store_vote(original, await make_user(), (await choice_ids(original))[0], now=T0)
    await poll_store.close_poll(original, now=T0)
    owner = await make_user("Next Term")
    copy = await poll_store.duplicate_poll(original, owner)
    assert copy.slug != original.slug and copy.owner_id == owner.id  # type: ignore[attr-defined]
    tally = await tally_of(copy, now=T0)
    assert tally.question == "Again?" and tally.state == "open" and tally.total_votes == 0
    assert [choice.label for choice in tally.choices] == ["B first", "A second", "C third"]
    assert (copy.results_visibility, copy.show_voters, copy.closes_at) == (
        "after_vote",
        "everyone",
        None,
    )
    assert (await tally_of(original, now=T0)).total_votes == 1


async def test_delete_removes_the_poll_its_responses_and_votes_only() -> None:
    poll, other = await make_poll(), await make_poll()
    voter = await make_user()
    await store_vote(poll, voter, (await choice_ids(poll))[0])
    await store_vote(other, voter, (await choice_ids(other))[0])
    assert await poll_store.delete_poll(poll) is True
    assert await poll_store.delete_poll(poll) is False
    with pytest.raises(PollNotFound):
        await get_poll(poll.slug)
    assert await Choice.filter(poll_id=poll.id).count() == 0
    assert await Vote.filter(poll_id=poll.id).count() == 0
    assert (await tally_of(other)).total_votes == 1
