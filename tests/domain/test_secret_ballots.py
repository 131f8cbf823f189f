"""`show_voters=nobody` in the database: a ballot is kept apart from its voter. The ballot
tables of such a question name nobody (secret_picks holds a keyed hash, never a user id),
participation is stored apart, the counts are right, a change of mind replaces, and only the
voter's own key finds their ballot again."""

from __future__ import annotations

import pytest
from tortoise import connections

from crowdsource.domain import poll_store
from crowdsource.domain.models import Answer, Pick, Vote
from crowdsource.domain.poll_input import PollInvalid
from crowdsource.domain.roster_models import Participation, SecretPick
from crowdsource.domain.round_store import RoundRefused, start_round
from crowdsource.domain.secret_ballots import voter_key
from crowdsource.domain.tally_reads import tally_of
from tests.helpers.factories import choice_ids, make_poll, make_user, store_answer, store_vote

pytestmark = pytest.mark.usefixtures("orm")


async def _secret_table() -> list[dict[str, object]]:
    """Every row of secret_picks, every column, as the database holds it."""
    rows = await connections.get("default").execute_query_dict("SELECT * FROM secret_picks")
    return [dict(row) for row in rows]


async def test_a_nobody_ballot_names_no_voter_in_any_table() -> None:
    poll = await make_poll(show_voters="nobody")
    ada, bob = await make_user("Ada"), await make_user("Bob")
    first, second, _ = await choice_ids(poll)
    await store_vote(poll, ada, first)
    await store_vote(poll, bob, second)
    for model in (Vote, Pick, Answer):
        assert not await model.filter(poll_id=poll.id).exists()
    rows = await _secret_table()
    assert len(rows) == 2
    ids = {str(ada.id), str(bob.id)}
    for row in rows:
        assert set(row) == {"id", "poll_id", "voter_key", "choice_id", "answer"}
        assert len(str(row["voter_key"])) == 64
        assert str(row["voter_key"]) not in ids  # a keyed hash, no user id
    keys = {str(row["voter_key"]) for row in rows}
    assert keys == {voter_key(poll.id, ada.id), voter_key(poll.id, bob.id)}  # with the key
    voters = await Participation.filter(poll_id=poll.id).values_list("voter_id", flat=True)
    assert sorted(voters) == sorted([ada.id, bob.id])


async def test_counts_and_the_voters_own_ballot_but_no_voter_in_the_tally() -> None:
    poll = await make_poll(show_voters="nobody")
    ada, bob, cy = await make_user("Ada"), await make_user("Bob"), await make_user("Cy")
    first, second, _ = await choice_ids(poll)
    for person, pick in ((ada, first), (bob, first), (cy, second)):
        await store_vote(poll, person, pick)
    tally = await tally_of(poll)
    assert [c.votes for c in tally.choices] == [2, 1, 0]
    assert all(c.voters == () for c in tally.choices)
    assert tally.total_votes == 3
    assert tally.voted == {ada.id, bob.id, cy.id}
    mine = tally.choice_of(cy.id)
    assert mine is not None and second in mine and first not in mine
    assert tally.choice_of((await make_user("Dee")).id) is None


async def test_a_change_of_mind_replaces_the_earlier_ballot() -> None:
    poll = await make_poll(show_voters="nobody")
    ada = await make_user("Ada")
    first, second, _ = await choice_ids(poll)
    await store_vote(poll, ada, first)
    await store_vote(poll, ada, second)
    tally = await tally_of(poll)
    assert [c.votes for c in tally.choices] == [0, 1, 0]
    assert await SecretPick.filter(poll_id=poll.id).count() == 1
    assert await Participation.filter(poll_id=poll.id).count() == 1


async def test_several_picks_and_open_answers_are_secret_too() -> None:
    several = await make_poll(show_voters="nobody", kind="multiple", max_picks=3)
    ada = await make_user("Ada")
    first, second, third = await choice_ids(several)
    await store_vote(several, ada, (first, third))
    await store_vote(several, ada, (second, third))
    tally = await tally_of(several)
    assert [c.votes for c in tally.choices] == [0, 1, 1]
    assert tally.total_votes == 1
    assert not await Pick.filter(poll_id=several.id).exists()
    text = await make_poll(show_voters="nobody", kind="text", choices=())
    await store_answer(text, ada, "recursion")
    await store_answer(text, ada, "iteration")
    tally = await tally_of(text)
    assert [a.text for a in tally.answers] == ["iteration"]
    assert tally.answers[0].voter.login == ""
    mine = tally.choice_of(ada.id)
    assert mine is not None and mine.answer == "iteration"
    assert not await Answer.filter(poll_id=text.id).exists()


async def test_the_key_is_per_poll_and_per_voter() -> None:
    assert voter_key(1, 2) != voter_key(2, 1)
    assert voter_key(1, 2) == voter_key(1, 2)


async def test_nobody_cannot_be_switched_once_voted_but_can_before() -> None:
    poll = await make_poll()
    await poll_store.set_visibility(poll, "always", "nobody")  # nobody has voted: allowed
    await store_vote(poll, await make_user("Ada"), (await choice_ids(poll))[0])
    with pytest.raises(PollInvalid) as refused:
        await poll_store.set_visibility(poll, "always", "owner")
    assert "before the first vote" in refused.value.errors["show_voters"]
    other = await make_poll()
    await store_vote(other, await make_user("Bob"), (await choice_ids(other))[0])
    with pytest.raises(PollInvalid):
        await poll_store.set_visibility(other, "always", "nobody")
    await poll_store.set_visibility(other, "after_close", "owner")  # other changes still work


async def test_a_nobody_question_is_not_voted_again() -> None:
    poll = await make_poll(show_voters="nobody")
    await store_vote(poll, await make_user("Ada"), (await choice_ids(poll))[0])
    with pytest.raises(RoundRefused):
        await start_round(poll)
