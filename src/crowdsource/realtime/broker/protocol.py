"""What every broker does: carry “poll X changed” and “room X changed” and “user X's sessions ended”
between processes, and tell how many watch a poll in the other processes. `in_memory` serves one
process, `redis_pubsub` many."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Protocol

Listener = Callable[[int], Awaitable[None]]
Voters = frozenset[int] | None  # whose ballots a vote's news is about (None: not said)
VotesListener = Callable[[int, Voters], Awaitable[None]]
ResyncListener = Callable[[], Awaitable[None]]
SessionsListener = Callable[[int], Awaitable[None]]
GroupKey = int | str  # a poll's id, or a room's group name (`realtime.rooms.room_group`)
WatchingElsewhere = Callable[[GroupKey, int], Awaitable[int]]


class Broker(Protocol):
    async def start(
        self,
        on_change: Listener,
        on_resync: ResyncListener,
        on_sessions_ended: SessionsListener | None = None,
        on_room_changed: Listener | None = None,
        on_votes_changed: VotesListener | None = None,
    ) -> None:
        """Begin delivering every `poll_changed` (from any process) to `on_change`, every
        `sessions_ended` to `on_sessions_ended`, every `room_changed` to `on_room_changed`
        and every `votes_changed` to `on_votes_changed` with the voters it names, when
        it carries them (when given; else to `on_change`);
        `on_resync` is called when messages may have been lost (after a reconnect)."""

    async def poll_changed(self, poll_id: int) -> None:
        """Announce, after commit, that a poll's stored state changed."""

    async def votes_changed(self, poll_id: int, voters: Voters = None) -> None:
        """Announce, after commit, that only a poll's ballots changed, those of `voters`
        (a broker that cannot carry the difference delivers it as `poll_changed`)."""

    async def room_changed(self, room_id: int) -> None:
        """Announce, after commit, that a room's screens follow another question (or that
        its list of questions changed)."""

    async def sessions_ended(self, user_id: int) -> None:
        """Announce, after commit, that every token of a user stopped working."""

    async def watching_elsewhere(self, group: GroupKey, here: int) -> int:
        """Record that `here` sockets of this process watch the poll or room (0: none any
        more); return how many watch it in the other processes (0 when unknown)."""

    async def stop(self) -> None: ...


async def nobody_elsewhere(group: GroupKey, here: int) -> int:
    """One process: nobody watches anywhere else."""
    return 0
