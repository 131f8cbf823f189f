"""Natural batching: news heard while the publisher is idle goes out at once; news heard
while a round is in progress is published together in the next round."""

from __future__ import annotations

import asyncio
from datetime import datetime

import pytest

from crowdsource.domain.models import Choice, Poll
from crowdsource.domain.tally import Tally
from crowdsource.domain.tally_reads import responses_of, tally_of
from crowdsource.realtime import poll_publishing
from crowdsource.realtime.publisher import Publisher
from tests.helpers.factories import choice_ids, make_poll, make_user, store_vote
from tests.helpers.queries import statements
from tests.helpers.realtime import GatedTally, settle
from tests.helpers.sockets import FakeSocket

pytestmark = pytest.mark.usefixtures("orm")

# Turns of the event loop a publish may take with the database out of the way: a handful
# of hops (publisher, outbox, writer). A publisher waiting on a timer (say a 50 ms tick)
# needs thousands of turns on any machine.
TURNS = 50


async def one_viewer(publisher: Publisher) -> tuple[Poll, FakeSocket, list[int]]:
    """A poll watched by one signed-out socket that has its full state; the poll's responses."""
    poll = await make_poll()
    socket = FakeSocket()
    await publisher.connect(socket, poll, None, "csrf")
    await settle(publisher)
    return poll, socket, await choice_ids(poll)


async def turns_until(condition: object, limit: int = TURNS) -> int:
    for turn in range(limit):
        if condition():  # type: ignore[operator]
            return turn
        await asyncio.sleep(0)
    raise AssertionError(f"not within {limit} turns of the event loop")


async def test_changes_heard_during_a_round_are_published_together_in_the_next(
    publisher: Publisher, monkeypatch: pytest.MonkeyPatch
) -> None:
    poll, socket, ids = await one_viewer(publisher)
    publisher.renders.clear()
    before = len(socket.sent)
    slow = GatedTally(read_first=True)
    monkeypatch.setattr(poll_publishing, "tallies_of", slow)
    await store_vote(poll, await make_user("First"), ids[0])
    await publisher.on_change(poll.id)
    await asyncio.wait_for(slow.entered.wait(), 2)  # the first round has read one vote
    for n in range(5):  # five more votes while it reads: they wait for it, together
        await store_vote(poll, await make_user(f"S{n}"), ids[n % 3])
        await publisher.on_change(poll.id)
    slow.gate.set()
    await settle(publisher)
    assert publisher.renders["delta"] == 2
    assert len(socket.sent) - before == 2
    assert 'data-total-votes="1"' in socket.sent[-2]
    assert 'data-total-votes="6"' in socket.sent[-1]


async def test_a_change_heard_right_after_a_round_goes_out_at_once(
    publisher: Publisher, monkeypatch: pytest.MonkeyPatch
) -> None:
    poll, socket, ids = await one_viewer(publisher)
    tallies = []
    for n in range(2):
        await store_vote(poll, await make_user(f"V{n}"), ids[0])
        tallies.append(await tally_of(poll))

    responses = await responses_of([poll.id])

    async def stored_tally(
        polls: list[Poll], now: datetime | None = None, **_: object
    ) -> dict[int, Tally]:
        return {poll.id: tallies.pop(0)}

    async def stored_responses(_: object) -> dict[int, list[Choice]]:
        return responses

    async def stored_polls(_: object) -> list[Poll]:
        return [poll]

    # The database out of the way: a round is then a fixed number of loop turns (a read
    # reaching it would take as many turns as the database's speed asks: a flaky test).
    monkeypatch.setattr(poll_publishing, "tallies_of", stored_tally)
    monkeypatch.setattr(poll_publishing, "responses_of", stored_responses)
    monkeypatch.setattr(poll_publishing, "polls_of", stored_polls)
    sent = len(socket.sent)
    with statements() as sql:
        await publisher.on_change(poll.id)
        await turns_until(lambda: len(socket.sent) == sent + 1)
        assert 'data-total-votes="1"' in socket.sent[-1]
        await publisher.on_change(poll.id)  # right after a round: nothing to wait for
        await turns_until(lambda: len(socket.sent) == sent + 2)
    assert sql == []
    assert 'data-total-votes="2"' in socket.sent[-1]


async def test_a_round_reads_its_polls_together(publisher: Publisher) -> None:
    """A school's hundred rooms voting at once: a round's reads do not grow with its polls
    (each read waited behind the vote commits, one after another)."""
    watched = [await one_viewer(publisher) for _ in range(3)]
    for n, (poll, _, ids) in enumerate(watched):
        await store_vote(poll, await make_user(f"Voter {n}"), ids[0])
    with statements() as alone:
        await publisher.on_change(watched[0][0].id)
        await settle(publisher)
    for n, (poll, _, ids) in enumerate(watched):
        await store_vote(poll, await make_user(f"Second {n}"), ids[1])
    with statements() as together:
        for poll, _, _ in watched:
            await publisher.on_change(poll.id)
        await settle(publisher)
    assert len(together) == len(alone) == 3  # the polls, their responses, their votes
    for _, socket, _ in watched:
        assert 'data-total-votes="2"' in socket.sent[-1]
