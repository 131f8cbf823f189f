"""A tally brought up to date with the ballots of the voters news named is the tally a whole
read gives, or nothing where only a whole read can tell (domain/tally_patch.py)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest

from crowdsource.domain import clock
from crowdsource.domain.models import Choice, Poll, User
from crowdsource.domain.tally import Tally, joined_since
from crowdsource.domain.tally_patch import (
    Row,
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


@dataclass
class Patching:
    """A poll's tally and watermark read, then votes stored, and their voters' rows read."""

    poll: Poll
    before: Tally
    mark: Watermark
    choices: list[Choice]
    rows: list[Row]
    now: datetime

    def patch(
        self, mark: Watermark | None = None, responses: int | None = None
    ) -> tuple[Tally, Watermark] | None:
        return patched(
            self.poll, self.choices[:responses], self.before, self.rows, mark or self.mark, self.now
        )


async def votes_since_a_tally(
    earlier: Sequence[tuple[User, int]], since: Sequence[tuple[User, int]]
) -> Patching:
    """A poll's tally after the `earlier` votes (user, index of the response), then the votes
    `since` stored and their voters' ballots read."""
    poll = await make_poll(show_voters="everyone")
    ids = await choice_ids(poll)
    for user, n in earlier:
        await store_vote(poll, user, ids[n])
    before, mark = await tally_of(poll), (await watermarks([poll.id]))[poll.id]
    choices = list((await responses_of([poll.id]))[poll.id])
    for user, n in since:
        await store_vote(poll, user, ids[n])
    rows = (await ballots_of({poll.id: {user.id for user, _ in since}}))[poll.id]
    return Patching(poll, before, mark, choices, rows, clock.now())


async def test_patched_is_the_whole_read_or_nothing() -> None:
    ada, bob = await make_user("Ada"), await make_user("Bob")
    # Bob's first vote, and Ada's change of mind
    since = await votes_since_a_tally([(ada, 0)], [(bob, 1), (ada, 2)])

    found = since.patch()

    assert found is not None
    tally, after = found
    whole = await tally_of(since.poll, since.now)
    assert tally == whole
    assert tally.voted == whole.voted == {ada.id, bob.id}
    assert (
        tally.placed == whole.placed == {ada.id: tally.choices[2].id, bob.id: tally.choices[1].id}
    )
    # who has voted now and had not: Bob, not Ada, who had; asked of its own base only
    assert tally.voter(bob.id) == whole.voter(bob.id)
    moved = tally.voter(ada.id)  # found where she is now
    assert moved is not None and moved.login == ada.login
    assert tally.voter(0) is None
    assert joined_since(tally, since.before) == {bob.id}
    assert joined_since(tally, whole) is None
    assert joined_since(whole, since.before) is None
    assert after.latest == max(row[5] for row in since.rows)
    assert since.patch(mark=after) is None  # not after the latest
    assert since.patch(responses=2) is None  # other responses


async def test_new_voters_leave_every_other_response_s_voters_as_they_were() -> None:
    ada, bob, cy = await make_user("Ada"), await make_user("Bob"), await make_user("Cy")
    # a first vote: nobody's earlier ballot leaves
    since = await votes_since_a_tally([(ada, 0), (bob, 1)], [(cy, 1)])

    found = since.patch()

    assert found is not None
    tally, _ = found
    whole = await tally_of(since.poll, since.now)
    assert tally == whole
    assert tally.voted == whole.voted == {ada.id, bob.id, cy.id}
    assert tally.choices[0].voters is since.before.choices[0].voters  # not copied
    assert [voter.login for voter in tally.choices[1].voters] == [bob.login, cy.login]


async def test_a_changed_vote_copies_only_the_response_its_voter_leaves() -> None:
    ada, bob = await make_user("Ada"), await make_user("Bob")
    since = await votes_since_a_tally([(ada, 0), (bob, 1)], [(ada, 2)])

    found = since.patch()

    assert found is not None
    tally, _ = found
    assert tally == await tally_of(since.poll, since.now)
    assert tally.choices[0].voters == ()  # Ada left it
    assert tally.choices[1].voters is since.before.choices[1].voters  # nobody left: not copied
    assert [voter.login for voter in tally.choices[2].voters] == [ada.login]
    assert joined_since(tally, since.before) == frozenset()  # Ada had voted
