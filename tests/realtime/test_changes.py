"""What a publish works out from two states of a poll (realtime/changes.py)."""

from __future__ import annotations

import pytest

from crowdsource.domain.tally import patched_from
from crowdsource.domain.tally_reads import tally_of
from crowdsource.realtime.changes import voting_changed
from crowdsource.realtime.snapshot import Snapshot
from tests.helpers.factories import choice_ids, make_poll, make_user, store_vote

pytestmark = pytest.mark.usefixtures("orm")


async def test_who_voted_since_is_the_patch_s_word_when_it_patched_that_state() -> None:
    poll = await make_poll(show_voters="everyone")
    ids = await choice_ids(poll)
    ada, bob = await make_user("Ada"), await make_user("Bob")
    await store_vote(poll, ada, ids[0])
    before, other_read = await tally_of(poll), await tally_of(poll)
    await store_vote(poll, bob, ids[1])
    after = await tally_of(poll)
    assert voting_changed(Snapshot(poll, before), Snapshot(poll, after)) == {bob.id}

    # As a patch of `before` that says user 99 joined, it is taken at its word:
    told = patched_from(after, before, dict(after.placed), frozenset({99}))

    assert voting_changed(Snapshot(poll, before), Snapshot(poll, told)) == {99}
    # Another state than the one it patched: who voted in each is compared.
    assert voting_changed(Snapshot(poll, other_read), Snapshot(poll, told)) == {bob.id}
