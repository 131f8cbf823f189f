"""The broker of a single process: news goes straight to this process's listeners."""

from __future__ import annotations

from crowdsource.realtime.broker.protocol import (
    Listener,
    ResyncListener,
    SessionsListener,
    Voters,
    VotesListener,
    nobody_elsewhere,
)


class InMemoryBroker:
    """One process: a change, a room's move or a sign-out goes straight to this process's
    listener."""

    def __init__(self) -> None:
        self._on_change: Listener | None = None
        self._on_sessions_ended: SessionsListener | None = None
        self._on_room_changed: Listener | None = None
        self._on_votes_changed: VotesListener | None = None

    async def start(
        self,
        on_change: Listener,
        on_resync: ResyncListener,
        on_sessions_ended: SessionsListener | None = None,
        on_room_changed: Listener | None = None,
        on_votes_changed: VotesListener | None = None,
    ) -> None:
        self._on_change, self._on_sessions_ended = on_change, on_sessions_ended
        self._on_room_changed = on_room_changed

        async def as_change(poll_id: int, voters: Voters) -> None:
            await on_change(poll_id)

        self._on_votes_changed = on_votes_changed or as_change

    async def poll_changed(self, poll_id: int) -> None:
        if self._on_change is not None:
            await self._on_change(poll_id)

    async def votes_changed(self, poll_id: int, voters: Voters = None) -> None:
        if self._on_votes_changed is not None:
            await self._on_votes_changed(poll_id, voters)

    async def room_changed(self, room_id: int) -> None:
        if self._on_room_changed is not None:
            await self._on_room_changed(room_id)

    async def sessions_ended(self, user_id: int) -> None:
        if self._on_sessions_ended is not None:
            await self._on_sessions_ended(user_id)

    watching_elsewhere = staticmethod(nobody_elsewhere)

    async def stop(self) -> None:
        self._on_change = self._on_sessions_ended = self._on_room_changed = None
        self._on_votes_changed = None
