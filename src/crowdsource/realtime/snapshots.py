"""The state of each poll this process last pushed, and who here watches it: the poll's own
sockets, and those of the rooms that show it now."""

from __future__ import annotations

from collections.abc import Collection, Hashable, Iterable

from crowdsource.domain.models import Choice, Poll
from crowdsource.domain.tally_reads import tally_of
from crowdsource.realtime.hub import Hub
from crowdsource.realtime.shared_reads import SharedReads
from crowdsource.realtime.snapshot import Snapshot
from crowdsource.realtime.stages import RoomStages
from crowdsource.realtime.viewers import Subscriber


class Snapshots:
    """Per poll watched here: the baseline of its next deltas. Dropped with its last viewer."""

    def __init__(self, hub: Hub[Subscriber], stages: RoomStages) -> None:
        self.hub = hub
        self.stages = stages
        self._by_poll: dict[int, Snapshot] = {}
        self._by_slug: dict[str, int] = {}  # a slug never changes
        # Polls kept here whose row or responses changed since their snapshot was read
        self._rows_changed: set[int] = set()
        # The voters whose ballots news named since a poll's snapshot was read (None: news
        # that named nobody, or something else: the poll is read whole)
        self._voters: dict[int, set[int] | None] = {}
        self._reads: SharedReads[int, Snapshot | None] = SharedReads()  # joins of a poll not kept

    def __len__(self) -> int:
        return len(self._by_poll)

    def get(self, poll_id: int) -> Snapshot | None:
        return self._by_poll.get(poll_id)

    def keep(self, snapshot: Snapshot) -> None:
        self._by_poll[snapshot.poll.id] = snapshot
        self._by_slug[snapshot.poll.slug] = snapshot.poll.id

    def drop(self, poll_id: int) -> None:
        self._rows_changed.discard(poll_id)
        self._voters.pop(poll_id, None)
        dropped = self._by_poll.pop(poll_id, None)
        if dropped is not None:
            self._by_slug.pop(dropped.poll.slug, None)

    def poll_by_slug(self, slug: str) -> Poll | None:
        """A poll watched here, as last read: a socket joining it needs no query of its own
        (a poll deleted meanwhile is dropped when its news is published)."""
        poll_id = self._by_slug.get(slug)
        snapshot = None if poll_id is None else self._by_poll.get(poll_id)
        return None if snapshot is None else snapshot.poll

    def watched(self, poll_id: int) -> int:
        """Local sockets showing the poll: its own, and those of rooms showing it."""
        rooms = self.stages.groups_showing(poll_id)
        return self.hub.count(poll_id) + sum(self.hub.count(group) for group in rooms)

    def members(self, poll_id: int) -> list[Subscriber]:
        members = self.hub.members(poll_id)
        for group in self.stages.groups_showing(poll_id):
            members.extend(self.hub.members(group))
        return members

    def membership(self, poll_id: int) -> tuple[Hashable, ...]:
        """Changes whenever `members` may hold a socket it did not hold at the last call
        with the same value: a join anywhere here, or other rooms showing the poll."""
        return (self.hub.joins, *self.stages.groups_showing(poll_id))

    def kept(self) -> list[int]:
        return list(self._by_poll)

    def of_room(self, room_id: int) -> list[int]:
        """The polls kept here that belong to the room (its questions)."""
        return [
            poll_id
            for poll_id, snapshot in self._by_poll.items()
            if snapshot.poll.room_id == room_id  # type: ignore[attr-defined]
        ]

    def rows_changed(self, poll_ids: Iterable[int]) -> None:
        """News other than new ballots: the next read of these polls takes their rows and
        responses again (only polls kept here have any to keep)."""
        self._rows_changed.update(poll_id for poll_id in poll_ids if poll_id in self._by_poll)

    def ballots_changed(self, poll_id: int, voters: Collection[int] | None) -> None:
        """News of a poll kept here: these voters' ballots changed (None: unknown whose,
        or more than ballots)."""
        if poll_id not in self._by_poll:
            return
        named = self._voters.get(poll_id, set())
        if voters is None or named is None:
            self._voters[poll_id] = None
        else:
            named.update(voters)
            self._voters[poll_id] = named

    def voters_changed(self, poll_id: int) -> frozenset[int] | None:
        """The voters whose ballots alone the news named since the last call (None: read
        the poll whole, as with no news at all); news heard from now on counts for the next."""
        named = self._voters.pop(poll_id, None)
        return None if named is None else frozenset(named)

    def kept_rows(self, poll_id: int) -> tuple[Poll, tuple[Choice, ...]] | None:
        """The poll's row and responses as its snapshot read them, when no news since said
        they changed (None: read them again). News heard from this call on counts for the
        next read, whatever this one finds."""
        changed = poll_id in self._rows_changed
        self._rows_changed.discard(poll_id)
        kept = self._by_poll.get(poll_id)
        if changed or kept is None or kept.responses is None:
            return None
        return kept.poll, kept.responses

    def drop_unwatched(self, poll_id: int) -> None:
        if not self.watched(poll_id):
            self.drop(poll_id)

    async def read(self, poll: Poll | int) -> Snapshot | None:
        """The poll's snapshot, read now if nobody here watched it (None: deleted). Sockets
        that join it together share one read."""
        poll_id = poll if isinstance(poll, int) else poll.id
        if poll_id not in self._by_poll:
            snapshot = await self._reads.read(poll_id, lambda: _snapshot_of(poll))
            if snapshot is None:
                return None
            if poll_id not in self._by_poll:  # still: a publish may have kept a later one
                self.keep(snapshot)
        return self._by_poll[poll_id]


async def _snapshot_of(poll: Poll | int) -> Snapshot | None:
    """The poll and every ballot of it, as stored now (None: deleted)."""
    found = await Poll.get_or_none(id=poll) if isinstance(poll, int) else poll
    return None if found is None else Snapshot(found, await tally_of(found))
