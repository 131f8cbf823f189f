"""A broker's listener for tests: remembers every change, news of ballots, resync, sign-out
and room change it is told about."""

from __future__ import annotations

import asyncio

WAIT = 10.0  # seconds; generous bound for a message or a reconnect, never a speed claim


class Recorder:
    """A broker's listener: remembers every change, resync, sign-out and room change it is
    told about."""

    def __init__(self) -> None:
        self.changes: asyncio.Queue[int] = asyncio.Queue()
        self.resyncs: asyncio.Queue[None] = asyncio.Queue()
        self.sessions_ended: asyncio.Queue[int] = asyncio.Queue()
        self.room_changes: asyncio.Queue[int] = asyncio.Queue()
        self.ballots: asyncio.Queue[int] = asyncio.Queue()  # news of new ballots only
        self.voters: list[frozenset[int] | None] = []  # whose, as each of that news said

    async def on_change(self, poll_id: int) -> None:
        self.changes.put_nowait(poll_id)

    async def on_votes_changed(self, poll_id: int, voters: frozenset[int] | None = None) -> None:
        self.voters.append(voters)
        self.ballots.put_nowait(poll_id)

    async def next_ballots(self) -> int:
        return await asyncio.wait_for(self.ballots.get(), WAIT)

    async def on_resync(self) -> None:
        self.resyncs.put_nowait(None)

    async def on_sessions_ended(self, user_id: int) -> None:
        self.sessions_ended.put_nowait(user_id)

    async def on_room_changed(self, room_id: int) -> None:
        self.room_changes.put_nowait(room_id)

    async def next_room_change(self) -> int:
        return await asyncio.wait_for(self.room_changes.get(), WAIT)

    async def next_sessions_ended(self) -> int:
        return await asyncio.wait_for(self.sessions_ended.get(), WAIT)

    async def next_change(self) -> int:
        return await asyncio.wait_for(self.changes.get(), WAIT)

    async def next_resync(self) -> None:
        await asyncio.wait_for(self.resyncs.get(), WAIT)

    def no_change_yet(self) -> bool:
        return self.changes.empty()
