"""Natural batching: news heard while the publisher is idle goes out at once; news heard
while a round is in progress is published together in the next round."""

from __future__ import annotations

import asyncio
from datetime import datetime

import pytest

from crowdsource.domain.models import Poll
from crowdsource.domain.tally import Tally
from crowdsource.domain.tally_reads import tally_of
from crowdsource.realtime import poll_publishing
from crowdsource.realtime import publisher as publisher_module
from crowdsource.realtime.publisher import Publisher
from tests.helpers.factories import choice_ids, make_poll, make_user, store_vote
from tests.helpers.realtime import settle
from tests.helpers.sockets import FakeSocket

pytestmark = pytest.mark.usefixtures("orm")

# Turns of the event loop a publish may take with the database out of the way: a handful
# of hops (publisher, outbox, writer). A publisher waiting on a timer (say a 50 ms tick)
# needs thousands of turns on any machine.
TURNS = 50


class GatedTally:
    """`tally_of` that reads, then waits at a gate: a round still in progress."""

    def __init__(self) -> None:
        self.entered = asyncio.Event()
        self.gate = asyncio.Event()

    async def __call__(self, poll: Poll, now: datetime | None = None) -> Tally:
        tally = await tally_of(poll, now)
        self.entered.set()
        await self.gate.wait()
        return tally


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
    slow = GatedTally()
    monkeypatch.setattr(poll_publishing, "tally_of", slow)
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

    async def stored_tally(poll: Poll, now: datetime | None = None) -> Tally:
        return tallies.pop(0)

    async def stored_poll(**_: object) -> Poll:
        return poll

    # The database out of the way: a round is then a fixed number of loop turns.
    monkeypatch.setattr(poll_publishing, "tally_of", stored_tally)
    monkeypatch.setattr(publisher_module.Poll, "get_or_none", stored_poll)
    sent = len(socket.sent)
    await publisher.on_change(poll.id)
    await turns_until(lambda: len(socket.sent) == sent + 1)
    assert 'data-total-votes="1"' in socket.sent[-1]
    await publisher.on_change(poll.id)  # right after a round: nothing to wait for
    await turns_until(lambda: len(socket.sent) == sent + 2)
    assert 'data-total-votes="2"' in socket.sent[-1]
