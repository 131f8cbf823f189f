"""The domain: storing polls and votes (through the vote command and its group commit),
changing a vote, closing, tallying."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from tortoise.transactions import in_transaction

from crowdsource.domain import poll_store
from crowdsource.domain.models import Poll, User, Vote
from crowdsource.domain.poll_queries import polls_owned_by
from crowdsource.domain.polls import InsideTransaction, PollCommands
from crowdsource.domain.tally import UNTIMED
from crowdsource.domain.tally_reads import tally_of
from crowdsource.domain.vote_refusals import NotAChoice, PollClosed, PollGone, SignedOut
from tests.helpers.announcer import recorded_commands
from tests.helpers.factories import choice_ids, make_poll, make_user, store_vote

pytestmark = pytest.mark.usefixtures("orm")


async def test_create_poll_stores_question_and_responses_in_order() -> None:
    poll = await make_poll(question="Ready?", choices=("Yes", "No", "Maybe"))
    tally = await tally_of(poll)
    assert tally.question == "Ready?"
    assert [choice.label for choice in tally.choices] == ["Yes", "No", "Maybe"]
    assert tally.total_votes == 0
    assert tally.state == "open"


async def test_slugs_are_random_and_unguessable() -> None:
    slugs = {(await make_poll()).slug for _ in range(5)}
    assert len(slugs) == 5
    assert all(
        len(slug) >= 10 and slug.replace("-", "").replace("_", "").isalnum() for slug in slugs
    )


async def test_a_vote_is_counted_and_shows_the_voter(polls: PollCommands) -> None:
    poll = await make_poll()
    voter = await make_user("Sam")
    first, *_ = await choice_ids(poll)
    await polls.cast_vote(poll, voter, str(first))
    tally = await tally_of(poll)
    assert [choice.votes for choice in tally.choices] == [1, 0, 0]
    assert tally.choices[0].voters[0].login == voter.login
    assert first in tally.choice_of(voter.id)


async def test_voting_again_changes_the_vote_instead_of_adding_one(polls: PollCommands) -> None:
    poll = await make_poll()
    voter = await make_user()
    first, second, _ = await choice_ids(poll)
    await polls.cast_vote(poll, voter, first)
    await polls.cast_vote(poll, voter, second)
    tally = await tally_of(poll)
    assert [choice.votes for choice in tally.choices] == [0, 1, 0]
    assert await Vote.filter(poll_id=poll.id).count() == 1


async def test_simultaneous_votes_of_one_person_leave_exactly_one_row(polls: PollCommands) -> None:
    poll = await make_poll()
    voter = await make_user()
    ids = await choice_ids(poll)
    await asyncio.gather(*(polls.cast_vote(poll, voter, ids[i % 3]) for i in range(12)))
    assert await Vote.filter(poll_id=poll.id, voter_id=voter.id).count() == 1


async def test_concurrent_votes_are_stored_together_and_answered_one_by_one(
    monkeypatch: pytest.MonkeyPatch, polls: PollCommands
) -> None:
    poll, other = await make_poll(), await make_poll()
    closed = await make_poll()
    await poll_store.close_poll(closed)
    first, second, third = await choice_ids(poll)
    foreign = (await choice_ids(other))[0]
    voters = [await make_user(f"Voter {n}") for n in range(30)]
    upserts: list[int] = []
    bulk_create = Vote.bulk_create

    def counting_bulk_create(objects: list[Vote], **options: object) -> object:
        upserts.append(len(objects))
        return bulk_create(objects, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(Vote, "bulk_create", counting_bulk_create)
    ballots = [
        polls.cast_vote(poll, voter, (first, second)[n % 2]) for n, voter in enumerate(voters)
    ]
    ballots += [
        polls.cast_vote(poll, voters[0], third),  # a change of mind in the same group: it wins
        polls.cast_vote(poll, voters[1], foreign),
        polls.cast_vote(closed, voters[2], (await choice_ids(closed))[0]),
    ]
    outcomes = await asyncio.gather(*ballots, return_exceptions=True)

    assert [o.labels for o in outcomes[:30]] == [("Old hat",), ("Okay",)] * 15  # type: ignore[union-attr]
    assert outcomes[30].labels == ("No idea",)  # type: ignore[union-attr]
    assert isinstance(outcomes[31], NotAChoice) and "not part of this poll" in str(outcomes[31])
    assert isinstance(outcomes[32], PollClosed)
    assert len(upserts) < len(ballots) // 4, upserts  # a handful of transactions, not 33
    tally = await tally_of(poll)
    assert [choice.votes for choice in tally.choices] == [14, 15, 1]
    assert third in tally.choice_of(voters[0].id)
    assert await Vote.filter(poll_id__in=[other.id, closed.id]).count() == 0


async def test_a_stored_ballot_inside_a_callers_transaction_is_written_in_it() -> None:
    poll = await make_poll()
    voter = await make_user()
    first = (await choice_ids(poll))[0]
    with pytest.raises(RuntimeError):
        async with in_transaction():
            await store_vote(poll, voter, first)
            assert await Vote.filter(poll_id=poll.id).count() == 1
            raise RuntimeError("roll back")
    assert await Vote.filter(poll_id=poll.id).count() == 0


async def test_the_vote_command_refuses_to_run_inside_a_callers_transaction(
    polls: PollCommands,
) -> None:
    """It could not announce after the commit, nor share its transaction with other voters."""
    poll = await make_poll()
    first = (await choice_ids(poll))[0]
    voter = await make_user()
    with pytest.raises(InsideTransaction):
        async with in_transaction():
            await polls.cast_vote(poll, voter, first)
    assert await Vote.filter(poll_id=poll.id).count() == 0


@pytest.mark.parametrize(
    "bad",
    ["", "abc", "1.5", "-1", "\u0661", None, True, ["1"], {"id": 1}, "9" * 40, 2**31, "9" * 12],
)
async def test_malformed_choices_are_refused(bad: object, polls: PollCommands) -> None:
    poll = await make_poll()
    with pytest.raises(NotAChoice, match="Pick one"):
        await polls.cast_vote(poll, await make_user(), bad)
    assert await Vote.all().count() == 0


async def test_a_choice_from_another_poll_is_refused(polls: PollCommands) -> None:
    poll, other = await make_poll(), await make_poll()
    foreign = (await choice_ids(other))[0]
    with pytest.raises(NotAChoice, match="not part of this poll"):
        await polls.cast_vote(poll, await make_user(), foreign)
    assert await Vote.all().count() == 0


async def test_a_closed_poll_refuses_votes_and_keeps_results(polls: PollCommands) -> None:
    poll = await make_poll()
    voter = await make_user()
    first, second, _ = await choice_ids(poll)
    await polls.cast_vote(poll, voter, first)
    assert await poll_store.close_poll(poll) is True
    assert await poll_store.close_poll(poll) is False
    with pytest.raises(PollClosed, match=r"^Voting has closed for this poll\.$"):
        await polls.cast_vote(poll, voter, second)
    tally = await tally_of(poll)
    assert tally.state == "closed"
    assert [choice.votes for choice in tally.choices] == [1, 0, 0]


async def test_the_end_time_is_checked_by_the_server_clock_to_the_instant(
    polls: PollCommands,
) -> None:
    closes = datetime(2030, 1, 1, 9, 0, tzinfo=UTC)
    poll = await make_poll(closes_at=closes)
    voter = await make_user()
    first = (await choice_ids(poll))[0]
    await polls.cast_vote(poll, voter, first, now=closes - timedelta(milliseconds=1))
    with pytest.raises(PollClosed, match=r"^Voting has closed for this poll\.$"):
        await polls.cast_vote(poll, voter, first, now=closes + timedelta(milliseconds=1))
    assert (await tally_of(poll, now=closes)).state == "closed"


async def test_a_vote_on_a_deleted_poll_is_refused(polls: PollCommands) -> None:
    poll = await make_poll()
    first = (await choice_ids(poll))[0]
    await Poll.filter(id=poll.id).delete()
    with pytest.raises(PollGone, match=r"^This poll no longer exists\.$"):
        await polls.cast_vote(poll, await make_user(), first)


async def test_tally_counts_many_voters_and_orders_them_by_time(polls: PollCommands) -> None:
    poll = await make_poll()
    ids = await choice_ids(poll)
    voters = [await make_user(f"Student {n}") for n in range(7)]
    for n, voter in enumerate(voters):
        await polls.cast_vote(poll, voter, ids[n % 2])
    tally = await tally_of(poll)
    assert [choice.votes for choice in tally.choices] == [4, 3, 0]
    assert tally.total_votes == 7
    assert [v.name for v in tally.choices[0].voters] == [
        "Student 0",
        "Student 2",
        "Student 4",
        "Student 6",
    ]
    assert tally.choices[0].percent(tally.total_votes) == 57


async def test_a_tally_says_when_each_vote_was_cast_only_when_asked() -> None:
    """Live publishes skip the date per ballot row; the votes' sheet asks for it."""
    poll = await make_poll()
    ids = await choice_ids(poll)
    cast = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
    await store_vote(poll, await make_user("Ada"), ids[0], now=cast)
    await store_vote(poll, await make_user("Bob"), ids[0], now=cast + timedelta(seconds=1))
    untimed = await tally_of(poll, cast)
    timed = await tally_of(poll, cast, times=True)
    assert [v.name for v in untimed.choices[0].voters] == ["Ada", "Bob"]  # still in order
    assert {v.cast_at for v in untimed.choices[0].voters} == {UNTIMED}
    assert [v.cast_at for v in timed.choices[0].voters] == [cast, cast + timedelta(seconds=1)]


async def test_polls_owned_by_lists_newest_first() -> None:
    owner = await make_user("Owner")
    older = await make_poll(owner, question="First")
    newer = await make_poll(owner, question="Second")
    await make_poll(question="Someone else's")
    assert [summary.poll.id for summary in await polls_owned_by(owner)] == [newer.id, older.id]


async def test_polls_owned_by_count_votes_and_mark_a_repeated_question_as_a_copy() -> None:
    owner, voter = await make_user("Owner"), await make_user("Voter")
    first = await make_poll(owner, question="Again?")
    await store_vote(first, voter, (await choice_ids(first))[0])
    other = await make_poll(owner, question="Something else")
    again = await make_poll(owner, question="Again?")
    summaries = {s.poll.id: s for s in await polls_owned_by(owner)}
    assert (summaries[first.id].votes, summaries[first.id].copy_of) == (1, None)
    assert summaries[other.id].copy_of is None
    copy_of = summaries[again.id].copy_of
    assert summaries[again.id].votes == 0 and copy_of is not None and copy_of.id == first.id


def test_a_new_slug_never_starts_with_punctuation(monkeypatch: pytest.MonkeyPatch) -> None:
    drawn = iter(["-leadingdash", "_underscore", "k7Q-m4x_abc"])
    monkeypatch.setattr(poll_store.secrets, "token_urlsafe", lambda _bytes: next(drawn))
    assert poll_store.new_slug() == "k7Q-m4x_abc"


async def test_a_voter_signed_out_since_they_were_read_is_refused_where_the_vote_is_stored() -> (
    None
):
    """The socket read its user before a sign-out elsewhere: the vote's transaction reads the
    voters' sessions (one statement for the batch), refuses this one and stores the others."""
    commands, announcer, _ = recorded_commands()
    poll = await make_poll()
    first = (await choice_ids(poll))[0]
    stale, fresh = await make_user("Signed out elsewhere"), await make_user("Still in")
    await User.filter(id=stale.id).update(token_version=stale.token_version + 1)
    with pytest.raises(SignedOut) as refused:
        await commands.cast_vote(poll, stale, first)
    assert str(refused.value) == "Sign in to vote."
    await commands.cast_vote(poll, fresh, first)
    assert (await tally_of(poll)).voted == {fresh.id}
    assert announcer == [poll.id]  # the refused vote announced nothing
