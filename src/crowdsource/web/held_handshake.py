"""A socket's handshake response and its first message, written to the kernel together.

Every socket the app accepts is sent its full state at once (`realtime/client.py` writes it
in the next turn of the loop). uvicorn writes the `101 Switching Protocols` response when the
app accepts, so a join cost two writes: two trips through the kernel's TCP stack, two
wake-ups of the browser's network thread. On loopback each such write is about as dear as
everything Python does for the join's handshake (docs/performance.md, "Round twenty-six").

While `HeldHandshake` stands in for the protocol's transport, what is written is kept; the
second write (the first message after the response) takes everything kept with it in one
write. If no message follows, what is kept goes out two turns of the loop later, and at
once before the connection is closed. Anything else is the transport's own."""

from __future__ import annotations

import asyncio
from typing import Any, Protocol


class HoldsTransport(Protocol):
    """The protocol whose transport is held (web/socket_protocol.py)."""

    transport: asyncio.Transport
    loop: asyncio.AbstractEventLoop


class HeldHandshake:
    """The transport of `protocol` while its handshake response waits for a first message."""

    def __init__(self, protocol: HoldsTransport) -> None:
        self.protocol: HoldsTransport | None = protocol
        self.transport = protocol.transport
        self.kept: list[bytes] = []
        protocol.transport = self  # type: ignore[assignment]
        protocol.loop.call_soon(protocol.loop.call_soon, self.release)

    def write(self, data: bytes | bytearray | memoryview) -> None:
        self.kept.append(bytes(data))
        if len(self.kept) > 1:  # the response and what follows it: one write
            self.release()

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def close(self) -> None:
        self.release()
        self.transport.close()

    def release(self) -> None:
        """Write what is kept and give the protocol its transport back (once)."""
        protocol, self.protocol = self.protocol, None
        if protocol is None:
            return
        protocol.transport = self.transport
        kept, self.kept = self.kept, []
        if kept and not self.transport.is_closing():
            self.transport.write(b"".join(kept))

    def __getattr__(self, name: str) -> Any:
        return getattr(self.transport, name)
