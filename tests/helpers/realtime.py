"""Building a publisher for tests, and waiting until it has nothing left to do."""

from __future__ import annotations

import asyncio
from datetime import datetime
from pathlib import Path
from typing import Any

from crowdsource.domain.models import Poll, User
from crowdsource.domain.tally import Tally
from crowdsource.domain.tally_reads import tallies_of
from crowdsource.realtime.fragments import Fragments
from crowdsource.realtime.hub import Hub
from crowdsource.realtime.publisher import Publisher
from crowdsource.settings import Settings
from crowdsource.web.templating import fragment_renderer
from tests.helpers.factories import make_user, store_vote
from tests.helpers.waiting import WAIT_SECONDS

# A site where guests may join and no provider is set up: what the pushes are rendered for.
SITE = Settings(secret_key="-", public_url="http://testserver", data_dir=Path("."), database_url="")


def fragments(settings: Settings = SITE) -> Fragments:
    """Fragments rendered by the app's own templates, as the composition wires them."""
    return Fragments(fragment_renderer(settings))


def new_publisher(**options: Any) -> Publisher:
    return Publisher(Hub(), fragments(), **options)


POLL_SECONDS = 0.04  # how often `settle` looks
QUIET_ROUNDS = 5  # looks in a row with nothing to publish and nothing to send


def idle(publisher: Publisher) -> bool:
    """No poll waiting to be published, no message waiting in any socket's outbox."""
    hub = publisher.hub
    outboxes_empty = all(
        not member.client.queued() for group in hub.groups() for member in hub.members(group)
    )
    return not publisher._dirty and outboxes_empty


async def settle(publisher: Publisher) -> None:
    """Until changes are published and writers are done sending: idle for a few looks in
    a row (a slow machine takes more rounds, not a failed assertion)."""
    quiet = 0
    for _ in range(int(WAIT_SECONDS / POLL_SECONDS)):
        await asyncio.sleep(POLL_SECONDS)
        quiet = quiet + 1 if idle(publisher) else 0
        if quiet >= QUIET_ROUNDS:
            return
    raise AssertionError(f"the publisher was still busy after {WAIT_SECONDS:g} s")


async def vote_and_publish(publisher: Publisher, poll: Poll, name: str, choice: int) -> User:
    """A new user named `name` votes for `choice`; the poll is published and the publisher
    left with nothing to do. Returns the voter."""
    voter = await make_user(name)
    await store_vote(poll, voter, choice)
    await publisher.on_change(poll.id)
    await settle(publisher)
    return voter


class GatedTally:
    """`tallies_of` held at a gate, like a slow database: `entered` is set when a read
    reaches it. It reads before waiting (`read_first`: a round still in progress) or after
    the gate opens (a poll changed meanwhile is read as it is then)."""

    def __init__(self, *, read_first: bool = False) -> None:
        self.read_first = read_first
        self.entered = asyncio.Event()
        self.gate = asyncio.Event()

    async def __call__(
        self, polls: list[Poll], now: datetime | None = None, **given: Any
    ) -> dict[int, Tally]:
        tallies = await tallies_of(polls, now, **given) if self.read_first else None
        self.entered.set()
        await self.gate.wait()
        return tallies if tallies is not None else await tallies_of(polls, now, **given)
