"""Rooms of local sockets. Transport only: it knows sockets and messages, not polls.

Every socket has its own bounded outbox and writer task, so a slow phone never delays the
others. When an outbox overflows, its queued deltas are dropped and replaced by one request
for full state, which the writer renders with the (synchronous) `resync` callback just before
sending: being synchronous, no delta can slip between that render and later deltas."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from crowdsource.realtime.close_codes import WS_1000_NORMAL_CLOSURE

log = logging.getLogger("crowdsource.realtime")

OUTBOX_SIZE = 32


class Socket(Protocol):
    async def send_text(self, data: str) -> None: ...
    async def close(
        self, code: int = WS_1000_NORMAL_CLOSURE, reason: str | None = None
    ) -> None: ...


class _Resync:
    """Outbox marker: send full state instead of the deltas that were dropped."""


@dataclass(frozen=True)
class _Close:
    code: int
    reason: str = ""


RESYNC = _Resync()


@dataclass(eq=False)
class Client:
    """One connected socket and what the publisher last decided it may see."""

    socket: Socket
    resync: Callable[[Client], str]
    viewer: Any = None
    variant: str = ""
    outbox: asyncio.Queue[str | _Resync | _Close] = field(
        default_factory=lambda: asyncio.Queue(OUTBOX_SIZE)
    )
    writer: asyncio.Task[None] | None = None
    resync_pending: bool = False
    sent_messages: int = 0
    sent_bytes: int = 0

    def offer(self, message: str) -> None:
        """Queue a message without waiting; on overflow fall back to one full-state send."""
        if not message or self.resync_pending:  # the pending full state will cover it
            return
        try:
            self.outbox.put_nowait(message)
        except asyncio.QueueFull:
            self.request_resync()

    def tell(self, message: str) -> None:
        """A message for this viewer alone (how their vote went): queued even while a full
        state is pending, which does not contain it; only an overflowing outbox drops
        what was queued before it."""
        try:
            self.outbox.put_nowait(message)
        except asyncio.QueueFull:
            self.request_resync()
            self.outbox.put_nowait(message)

    def request_resync(self) -> None:
        self._replace_queue_with(RESYNC)
        self.resync_pending = True

    def close(self, code: int, reason: str = "") -> None:
        """Close after what is queued (an error message first, say)."""
        try:
            self.outbox.put_nowait(_Close(code, reason))
        except asyncio.QueueFull:
            self._replace_queue_with(_Close(code, reason))

    def _replace_queue_with(self, item: _Resync | _Close) -> None:
        while not self.outbox.empty():
            self.outbox.get_nowait()
        self.outbox.put_nowait(item)

    async def run_writer(self) -> None:
        """Send queued messages in order until closed or the socket fails."""
        while True:
            item = await self.outbox.get()
            if isinstance(item, _Close):
                with contextlib.suppress(Exception):
                    await self.socket.close(item.code, item.reason)
                return
            if isinstance(item, _Resync):
                self.resync_pending = False
                text = self.resync(self)
            else:
                text = item
            try:
                await self.socket.send_text(text)
            except Exception:  # a broken socket ends its own writer, nobody else's
                log.debug("socket writer stopped", exc_info=True)
                return
            self.sent_messages += 1
            self.sent_bytes += len(text)


class Hub:
    """Rooms keyed by an opaque id (a poll id); each room a set of local clients."""

    def __init__(self) -> None:
        self._rooms: dict[int, set[Client]] = {}

    def join(self, room: int, client: Client) -> None:
        self._rooms.setdefault(room, set()).add(client)
        client.writer = asyncio.create_task(client.run_writer())

    async def leave(self, room: int, client: Client) -> None:
        members = self._rooms.get(room)
        if members is not None:
            members.discard(client)
            if not members:
                del self._rooms[room]
        if client.writer is not None and not client.writer.done():
            client.writer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await client.writer

    def clients(self, room: int) -> list[Client]:
        return list(self._rooms.get(room, ()))

    def count(self, room: int) -> int:
        return len(self._rooms.get(room, ()))

    def rooms(self) -> list[int]:
        return list(self._rooms)

    def close_room(self, room: int, code: int, reason: str = "") -> None:
        for client in self.clients(room):
            client.close(code, reason)

    def close_all(self, code: int, reason: str = "") -> None:
        for room in self.rooms():
            self.close_room(room, code, reason)
