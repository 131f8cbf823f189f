"""A tally brought up to date with the ballots of the voters news named is the tally a whole
read gives, or nothing where only a whole read can tell (domain/tally_patch.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from crowdsource.domain import clock
from crowdsource.domain.tally_patch import (
    Watermark,
    ballots_of,
    patchable,
    patched,
    watermarks,
)
from crowdsource.domain.tally_reads import responses_of, tally_of
from tests.helpers.factories import choice_ids, make_poll, make_user, store_vote

pytestmark = pytest.mark.usefixtures("orm")


async def test_which_polls_a_patch_follows() -> None:
    assert patchable(await make_poll())
    assert patchable(await make_poll(kind="scale", scale_min=1, scale_max=5))
    assert patchable(await make_poll(kind="single", correct=(1,)))
    assert not patchable(await make_poll(kind="multiple", max_picks=2))
    assert not patchable(await make_poll(kind="text", choices=()))
    assert not patchable(await make_poll(show_voters="nobody"))
    assert not patchable(await make_poll(kind="single", ask_confidence=True))
    second_round = await make_poll()
    second_round.round = 2
    assert not patchable(second_round)


async def test_a_watermark_is_the_latest_vote_as_the_rows_read_it_and_none_without() -> None:
    poll, empty = await make_poll(), await make_poll()
    first = (await choice_ids(poll))[0]
    late_voter, early_voter = await make_user("Late"), await make_user("Early")
    await store_vote(poll, late_voter, first, clock.now())
    await store_vote(poll, early_voter, first, clock.now() - timedelta(hours=1))

    marks = await watermarks([poll.id, empty.id])
    rows = (await ballots_of({poll.id: {late_voter.id, early_voter.id}}))[poll.id]

    assert marks[empty.id] == Watermark(None) and marks[empty.id].before(rows[0][5])
    late = next(row for row in rows if row[1] == late_voter.id)
    assert marks[poll.id].latest == late[5] == max(row[5] for row in rows)
    assert not marks[poll.id].before(late[5])


async def test_ballots_are_the_named_voters_own_in_each_poll() -> None:
    poll, other = await make_poll(), await make_poll()
    ada, bob = await make_user("Ada"), await make_user("Bob")
    for each in (poll, other):
        for voter in (ada, bob):
            await store_vote(each, voter, (await choice_ids(each))[0])
    nobody = await make_user("Nobody")

    found = await ballots_of({poll.id: {ada.id, nobody.id}, other.id: {bob.id}})

    assert [row[1] for row in found[poll.id]] == [ada.id]  # no ballot, no row
    assert [row[1] for row in found[other.id]] == [bob.id]  # Ada's there was not named


async def test_patched_is_the_whole_read_or_nothing() -> None:
    poll = await make_poll(show_voters="everyone")
    ids = await choice_ids(poll)
    ada, bob = await make_user("Ada"), await make_user("Bob")
    await store_vote(poll, ada, ids[0])
    before, mark = await tally_of(poll), (await watermarks([poll.id]))[poll.id]
    choices = (await responses_of([poll.id]))[poll.id]
    await store_vote(poll, bob, ids[1])
    await store_vote(poll, ada, ids[2])  # a change of mind
    rows = (await ballots_of({poll.id: {ada.id, bob.id}}))[poll.id]
    now = clock.now()

    found = patched(poll, choices, before, rows, mark, now)

    assert found is not None
    tally, after = found
    whole = await tally_of(poll, now)
    assert tally == whole
    assert tally.voted == whole.voted == {ada.id, bob.id}
    assert after.latest == max(row[5] for row in rows)
    assert patched(poll, choices, before, rows, after, now) is None  # not after the latest
    assert patched(poll, choices[:2], before, rows, mark, now) is None  # other responses


async def test_new_voters_leave_every_other_response_s_voters_as_they_were() -> None:
    poll = await make_poll(show_voters="everyone")
    ids = await choice_ids(poll)
    ada, bob, cy = await make_user("Ada"), await make_user("Bob"), await make_user("Cy")
    await store_vote(poll, ada, ids[0])
    await store_vote(poll, bob, ids[1])
    before, mark = await tally_of(poll), (await watermarks([poll.id]))[poll.id]
    choices = (await responses_of([poll.id]))[poll.id]
    await store_vote(poll, cy, ids[1])  # a first vote: nobody's earlier ballot leaves
    rows = (await ballots_of({poll.id: {cy.id}}))[poll.id]
    now = clock.now()

    found = patched(poll, choices, before, rows, mark, now)

    assert found is not None
    tally, _ = found
    whole = await tally_of(poll, now)
    assert tally == whole
    assert tally.voted == whole.voted == {ada.id, bob.id, cy.id}
    assert tally.choices[0].voters is before.choices[0].voters  # not copied
    assert [voter.login for voter in tally.choices[1].voters] == [bob.login, cy.login]
