"""Reading many polls' results at once (what a publishing round does) gives each poll the
tally it would get alone, with the same few statements however many polls."""

from __future__ import annotations

import pytest

from crowdsource.domain.tally import Mine
from crowdsource.domain.tally_reads import tallies_of, tally_of
from tests.helpers.factories import choice_ids, make_poll, make_user, store_answer, store_vote
from tests.helpers.queries import statements

pytestmark = pytest.mark.usefixtures("orm")


async def _polls_of_every_kind() -> list:
    single = await make_poll(question="Single?")
    several = await make_poll(question="Several?", kind="multiple", max_picks=2)
    text = await make_poll(question="Say it", kind="text", choices=())
    secret = await make_poll(question="Secret?", show_voters="nobody")
    idle = await make_poll(question="Nobody voted yet")
    for n in range(3):
        voter = await make_user(f"Voter {n}")
        await store_vote(single, voter, (await choice_ids(single))[n % 2])
        await store_vote(several, voter, tuple((await choice_ids(several))[: 1 + n % 2]))
        await store_answer(text, voter, f"answer number {n}")
        await store_vote(secret, voter, (await choice_ids(secret))[0])
    return [single, several, text, secret, idle]


async def test_each_poll_gets_the_tally_it_would_get_alone() -> None:
    polls = await _polls_of_every_kind()
    together = await tallies_of(polls)
    assert list(together) == [poll.id for poll in polls]
    for poll in polls:
        alone = await tally_of(poll)
        assert together[poll.id] == alone
        assert together[poll.id].choices == alone.choices  # voters included, in order
    assert [together[poll.id].total_votes for poll in polls] == [3, 3, 3, 3, 0]


async def test_the_statements_do_not_grow_with_the_polls() -> None:
    polls = await _polls_of_every_kind()
    shown = [poll for poll in polls if poll.show_voters != "nobody"]
    with statements() as one:
        await tallies_of(shown[:1])
    with statements() as four:
        await tallies_of(shown)
    assert len(one) == 2  # the responses, the ballots
    assert len(four) == 4  # the responses, then one per kind of ballot row: votes, picks, answers
    assert await tallies_of([]) == {}


async def test_each_voter_s_ballot_is_theirs_and_a_response_s_voters_share_one() -> None:
    single = await make_poll(show_voters="everyone")
    several = await make_poll(kind="multiple", max_picks=3)
    ada, bob, cy = [await make_user(name) for name in ("Ada", "Bob", "Cy")]
    one, two, _ = await choice_ids(single)
    await store_vote(single, ada, one)
    await store_vote(single, bob, one)
    await store_vote(single, cy, two)
    picks = await choice_ids(several)
    await store_vote(several, ada, (picks[0], picks[2]))

    tally, multiple = await tally_of(single), await tally_of(several)

    assert tally.choice_of(ada.id) == tally.choice_of(bob.id) == Mine(frozenset({one}))
    assert tally.choice_of(cy.id) == Mine(frozenset({two})) and tally.choice_of(0) is None
    assert tally.ballots[ada.id] is tally.ballots[bob.id]  # one per response, frozen
    assert multiple.choice_of(ada.id) == Mine(frozenset({picks[0], picks[2]}))
