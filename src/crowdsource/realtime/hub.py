"""Groups of local sockets. Transport only: it knows sockets and messages, not polls.

A slow phone never delays the others, and holds a bounded amount of memory. A socket that
takes frames (`FrameSink`: `crowdsource serve`'s own WebSocket protocol) is written to
directly, in the caller's turn: the same framed bytes for every socket of an audience, no
task and no await per socket. While its transport's write buffer is full, messages wait in
a bounded outbox and go out when it drains. Any other socket (a test client, a socket that
compresses) has a writer task that sends its outbox through the ASGI `send`.

When an outbox overflows, its queued deltas are dropped and replaced by one request for
full state, which is rendered with the (synchronous) `full_state` callback just before
sending: being synchronous, no delta can slip between that render and later deltas.

What a socket is for (which poll, which viewer, what they may see) is the caller's: the hub
groups *members*, anything that holds one `Client`."""

from __future__ import annotations

import asyncio
from collections.abc import Hashable
from typing import Generic, Protocol, TypeVar

from crowdsource.realtime.client import OUTBOX_SIZE, Client, FrameSink, Socket
from crowdsource.realtime.frames import Frame

__all__ = ["OUTBOX_SIZE", "Client", "FrameSink", "Hub", "Member", "Socket"]


class Member(Protocol):
    """What the hub groups: anything that holds one socket's client."""

    @property
    def client(self) -> Client: ...


M = TypeVar("M", bound=Member)


class Hub(Generic[M]):
    """Groups keyed by an opaque id (a poll's id, a room's name); each a set of local members."""

    def __init__(self) -> None:
        self._groups: dict[Hashable, set[M]] = {}
        self.joins = 0  # every join so far: no new one, no socket unknown to a past walk
        self.leaves = 0  # every leave so far: with `joins`, the same members as before

    def join(self, group: Hashable, member: M) -> None:
        """Add a member; a socket that takes no frames gets its writer task."""
        self._groups.setdefault(group, set()).add(member)
        self.joins += 1
        client = member.client
        if client.frames is None:
            client.writer = asyncio.create_task(client.run_writer())

    async def leave(self, group: Hashable, member: M) -> None:
        """Remove a member and stop its socket's writer (what is queued is dropped)."""
        self.leaves += 1
        members = self._groups.get(group)
        if members is not None:
            members.discard(member)
            if not members:
                del self._groups[group]
        client = member.client
        client.leave()
        # Waited for without raising its CancelledError here: whose traceback would hold
        # this frame, and so the task, from the task itself (a cycle, as would the client
        # keeping the task). A socket that left is then freed by reference counting.
        writer, client.writer = client.writer, None
        if writer is not None and not writer.done():
            writer.cancel()
            await asyncio.wait((writer,))

    def members(self, group: Hashable) -> list[M]:
        return list(self._groups.get(group, ()))

    def count(self, group: Hashable) -> int:
        return len(self._groups.get(group, ()))

    def groups(self) -> list[Hashable]:
        return list(self._groups)

    def offer_all(self, group: Hashable, message: str) -> None:
        """The same message, framed once, to every member of a group."""
        frame = Frame(message)
        for member in self.members(group):
            member.client.offer(frame)

    def close_group(self, group: Hashable, code: int, reason: str = "") -> None:
        for member in self.members(group):
            member.client.close(code, reason)

    def close_all(self, code: int, reason: str = "") -> None:
        for group in self.groups():
            self.close_group(group, code, reason)
