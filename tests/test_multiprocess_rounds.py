"""Peer instruction across two real `crowdsource serve` processes sharing PostgreSQL and Redis:
"Vote again" pressed on one process resets the students' forms on the other, live, and the
new round's votes come back with the previous round beside them."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.helpers.live_server import LiveServer
from tests.helpers.multiprocess import Person

pytestmark = [pytest.mark.multiprocess, pytest.mark.postgres]


async def test_vote_again_on_one_process_resets_the_forms_on_the_other(
    pair: tuple[LiveServer, LiveServer], people: Callable[[], Person]
) -> None:
    a, b = pair
    owner = await people().sign_in(a, "Alex Owner")
    slug = await owner.create_poll(a)
    student = await people().sign_in(b, "Sam Student")
    async with student.watch(b, slug) as phone_on_b, owner.watch(a, slug) as owner_on_a:
        first, second, *_ = phone_on_b.votes
        await phone_on_b.vote(first)
        await owner_on_a.expect(lambda s: s.shows(1), "round 1's vote on A")
        await phone_on_b.expect(lambda s: "checked" in s.seen[-1] or s.shows(1), "the vote")

        await owner.start_round(a, slug)
        await phone_on_b.expect(
            lambda s: any('data-round="2"' in message for message in s.seen), "round 2 on B"
        )
        reset = next(message for message in phone_on_b.seen if 'data-round="2"' in message)
        assert 'id="vote-form"' in reset and " checked" not in reset  # an unticked form
        assert phone_on_b.shows(0), str(phone_on_b)  # the new round starts at zero
        assert f'data-choice-id="{first}"' in reset and "data-votes-previous" in reset

        await phone_on_b.vote(second)
        await owner_on_a.expect(lambda s: s.shows(1, {**s.votes, second: 1}), "round 2's vote")
    results = await owner.results(a, slug)
    assert results["round"] == 2
    assert [r["round"] for r in results["rounds"]] == [1]
    assert {c["id"]: c["votes"] for c in results["rounds"][0]["choices"]}[first] == 1
