"""Groups of local sockets. Transport only: it knows sockets and messages, not polls.

Every socket has its own bounded outbox and writer task, so a slow phone never delays the
others. When an outbox overflows, its queued deltas are dropped and replaced by one request
for full state, which the writer renders with the (synchronous) `full_state` callback just
before sending: being synchronous, no delta can slip between that render and later deltas.

What a socket is for (which poll, which viewer, what they may see) is the caller's: the hub
groups *members*, anything that holds one `Client`."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Generic, Protocol, TypeVar

from crowdsource.realtime.close_codes import WS_1000_NORMAL_CLOSURE, WS_1011_INTERNAL_ERROR

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
    """One connected socket: its outbox, its writer, and how to render its full state.
    `overflowed` is called each time the outbox overflows (a metric)."""

    socket: Socket
    full_state: Callable[[], str]
    overflowed: Callable[[], None] = lambda: None
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
            self.overflowed()
            self.request_resync()

    def tell(self, message: str) -> None:
        """A message for this viewer alone (how their vote went): queued even while a full
        state is pending, which does not contain it; only an overflowing outbox drops
        what was queued before it."""
        try:
            self.outbox.put_nowait(message)
        except asyncio.QueueFull:
            self.overflowed()
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
                try:
                    text = self.full_state()
                except Exception:  # a bug in one render must not leave the socket mute
                    log.exception("rendering the full state of a socket failed")
                    with contextlib.suppress(Exception):
                        await self.socket.close(WS_1011_INTERNAL_ERROR, "server error")
                    return
            else:
                text = item
            try:
                await self.socket.send_text(text)
            except Exception:  # a broken socket ends its own writer, nobody else's
                log.debug("socket writer stopped", exc_info=True)
                return
            self.sent_messages += 1
            self.sent_bytes += len(text)


class Member(Protocol):
    """What the hub groups: anything that holds one socket's client."""

    @property
    def client(self) -> Client: ...


M = TypeVar("M", bound=Member)


class Hub(Generic[M]):
    """Groups keyed by an opaque id (a poll's id, a room's name); each a set of local members."""

    def __init__(self) -> None:
        self._groups: dict[Hashable, set[M]] = {}

    def join(self, group: Hashable, member: M) -> None:
        """Add a member and start its socket's writer."""
        self._groups.setdefault(group, set()).add(member)
        member.client.writer = asyncio.create_task(member.client.run_writer())

    async def leave(self, group: Hashable, member: M) -> None:
        """Remove a member and stop its socket's writer (what is queued is dropped)."""
        members = self._groups.get(group)
        if members is not None:
            members.discard(member)
            if not members:
                del self._groups[group]
        writer = member.client.writer
        if writer is not None and not writer.done():
            writer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await writer

    def members(self, group: Hashable) -> list[M]:
        return list(self._groups.get(group, ()))

    def count(self, group: Hashable) -> int:
        return len(self._groups.get(group, ()))

    def groups(self) -> list[Hashable]:
        return list(self._groups)

    def offer_all(self, group: Hashable, message: str) -> None:
        """The same message to every member of a group."""
        for member in self.members(group):
            member.client.offer(message)

    def close_group(self, group: Hashable, code: int, reason: str = "") -> None:
        for member in self.members(group):
            member.client.close(code, reason)

    def close_all(self, code: int, reason: str = "") -> None:
        for group in self.groups():
            self.close_group(group, code, reason)
