"""The tallies that pages read, kept per poll until the poll changes: a poll with 20,000 votes
is tallied once per change, not once per request of results.json, the projector or the embed.
Each is kept as a `Snapshot` (the live layer's), so what pages render from it once for
everyone (`Snapshot.cached`: the projector's and the embed's results) goes when it goes.

A change forgets the poll's tally before anyone hears of it: this process's commands through
`ForgettingAnnouncer` (before the broker carries the news, so the page a command redirects
to is fresh), other processes' through the broker's events (`heard`). A vote's news that
names its voter instead leaves the tally waiting for that voter's ballot, which the next
request reads alone and puts in place (domain/tally_patch.py: only where that is what a
whole read gives; otherwise it is read whole). A tally read while a change lands is not
kept (each poll's generation is checked), and one whose end time has passed since is read
again, so "open" never outlives the clock."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from crowdsource.domain import clock
from crowdsource.domain.announcer import Announcer
from crowdsource.domain.models import Poll
from crowdsource.domain.tally import Tally
from crowdsource.domain.tally_patch import ballots_of, may_patch, patchable, patched, watermarks
from crowdsource.domain.tally_reads import responses_of, tally_of
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
        self._named: dict[int, set[int]] = {}  # voters whose ballots a kept tally waits for
        self.reads = 0  # tallies read whole from the database (the tests count them)
        self.patches = 0  # and brought up to date with named voters' ballots

    def forget(self, poll_id: int) -> None:
        self._snapshots.pop(poll_id, None)
        self._named.pop(poll_id, None)
        self._changed(poll_id)

    def votes_changed(self, poll_id: int, voters: frozenset[int] | None) -> None:
        """A vote's news: a kept tally that `voters`' ballots can bring up to date waits for
        them; any other is forgotten."""
        kept = self._snapshots.get(poll_id)
        if voters is None or kept is None or kept.watermark is None:
            self.forget(poll_id)
            return
        self._named.setdefault(poll_id, set()).update(voters)
        self._changed(poll_id)

    def _changed(self, poll_id: int) -> None:
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
        named = frozenset(self._named.get(poll.id, ()))
        if kept is not None and not named and kept.tally.is_open == is_open(poll, now):
            self._snapshots.move_to_end(poll.id)
            return kept
        generation = self._generation.get(poll.id, 0)
        snapshot = await self._patched(poll, kept, named, now) if kept and named else None
        if snapshot is None:
            self.reads += 1
            tally = await tally_of(poll, now)
            # read after the tally: never earlier than what it counted
            mark = (await watermarks([poll.id]))[poll.id] if patchable(poll) else None
            snapshot = Snapshot(poll, tally, watermark=mark)
        if self._generation.get(poll.id, 0) == generation:  # no change landed meanwhile
            self._named.pop(poll.id, None)
            self._snapshots[poll.id] = snapshot
            self._snapshots.move_to_end(poll.id)
            if len(self._snapshots) > self._kept:
                self._snapshots.popitem(last=False)
        return snapshot

    async def _patched(
        self, poll: Poll, kept: Snapshot, voters: frozenset[int], now: datetime
    ) -> Snapshot | None:
        """`kept` brought up to date with `voters`' ballots, where that is a whole read."""
        if not may_patch(poll, kept.watermark, kept.patches, len(voters)):
            return None
        assert kept.watermark is not None  # may_patch said so
        choices = (await responses_of([poll.id]))[poll.id]
        rows = (await ballots_of({poll.id: voters}))[poll.id]
        found = patched(poll, choices, kept.tally, rows, kept.watermark, now)
        if found is None:
            return None
        self.patches += 1
        tally, mark = found
        return Snapshot(poll, tally, watermark=mark, patches=kept.patches + 1)

    def forget_all(self) -> None:
        """Changes may have been missed (the broker reconnected): read every poll again."""
        for poll_id in list(self._snapshots):
            self.forget(poll_id)

    def heard(self, on_change: OnChange) -> OnChange:
        """`on_change` (the publisher's), after forgetting the poll: for the broker."""

        async def forget_then(poll_id: int, *news: Any) -> None:
            if news:  # a vote's news: whose ballots
                self.votes_changed(poll_id, news[0])
            else:
                self.forget(poll_id)
            await on_change(poll_id, *news)

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
        self._tallies.votes_changed(poll_id, voters)
        await self._announcer.votes_changed(poll_id, voters)

    async def room_changed(self, room_id: int) -> None:
        await self._announcer.room_changed(room_id)

    async def sessions_ended(self, user_id: int) -> None:
        await self._announcer.sessions_ended(user_id)
