"""The tallies that pages read, kept per poll until the poll changes: a poll with 20,000 votes
is tallied once per change, not once per request of results.json, the projector or the embed.
Each is kept as a `Snapshot` (the live layer's), so what pages render from it once for
everyone (`Snapshot.cached`: the projector's and the embed's results) goes when it goes.

A change forgets the poll's tally before anyone hears of it: this process's commands through
`ForgettingAnnouncer` (before the broker carries the news, so the page a command redirects
to is fresh), other processes' through the broker's events (`heard`). A tally read while a
change lands is not kept (each poll's generation is checked), and one whose end time has
passed since is read again, so "open" never outlives the clock."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from crowdsource.domain import clock
from crowdsource.domain.announcer import Announcer
from crowdsource.domain.models import Poll
from crowdsource.domain.tally import Tally
from crowdsource.domain.tally_reads import tally_of
from crowdsource.domain.visibility import is_open
from crowdsource.realtime.snapshot import Snapshot

POLLS_KEPT = 256  # the most recently read; a tally of 20,000 votes is a few MB (its renders:
# a few 10 KB per language and audience)
OnChange = Callable[..., Awaitable[None]]  # (poll id, and for a vote's news its voters)


class TallyCache:
    def __init__(self, kept: int = POLLS_KEPT) -> None:
        self._kept = kept
        self._snapshots: OrderedDict[int, Snapshot] = OrderedDict()
        self._generation: dict[int, int] = {}
        self.reads = 0  # tallies read from the database (the tests count them)

    def forget(self, poll_id: int) -> None:
        self._snapshots.pop(poll_id, None)
        self._generation[poll_id] = self._generation.get(poll_id, 0) + 1
        if len(self._generation) > 4 * self._kept:  # polls long gone: their counters too
            for old in [key for key in self._generation if key not in self._snapshots]:
                del self._generation[old]

    async def tally(self, poll: Poll, now: datetime | None = None) -> Tally:
        return (await self.snapshot(poll, now)).tally

    async def snapshot(self, poll: Poll, now: datetime | None = None) -> Snapshot:
        """The poll's tally as last read, and the renders made from it since."""
        now = now or clock.now()
        kept = self._snapshots.get(poll.id)
        if kept is not None and kept.tally.is_open == is_open(poll, now):
            self._snapshots.move_to_end(poll.id)
            return kept
        generation = self._generation.get(poll.id, 0)
        self.reads += 1
        snapshot = Snapshot(poll, await tally_of(poll, now))
        if self._generation.get(poll.id, 0) == generation:  # no change landed meanwhile
            self._snapshots[poll.id] = snapshot
            if len(self._snapshots) > self._kept:
                self._snapshots.popitem(last=False)
        return snapshot

    def forget_all(self) -> None:
        """Changes may have been missed (the broker reconnected): read every poll again."""
        for poll_id in list(self._snapshots):
            self.forget(poll_id)

    def heard(self, on_change: OnChange) -> OnChange:
        """`on_change` (the publisher's), after forgetting the poll: for the broker."""

        async def forget_then(poll_id: int, *news: Any) -> None:
            self.forget(poll_id)
            await on_change(poll_id, *news)  # a vote's news: whose ballots

        return forget_then


class ForgettingAnnouncer:
    """The broker as this process's commands announce through it: a poll's tally is
    forgotten here first, so a reply that follows the command reads the change."""

    def __init__(self, announcer: Announcer, tallies: TallyCache) -> None:
        self._announcer = announcer
        self._tallies = tallies

    async def poll_changed(self, poll_id: int) -> None:
        self._tallies.forget(poll_id)
        await self._announcer.poll_changed(poll_id)

    async def votes_changed(self, poll_id: int, voters: frozenset[int] | None = None) -> None:
        self._tallies.forget(poll_id)
        await self._announcer.votes_changed(poll_id, voters)

    async def room_changed(self, room_id: int) -> None:
        await self._announcer.room_changed(room_id)

    async def sessions_ended(self, user_id: int) -> None:
        await self._announcer.sessions_ended(user_id)
