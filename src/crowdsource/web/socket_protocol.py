"""The WebSocket wire protocol `crowdsource serve` runs: uvicorn's websockets (sans-I/O)
protocol, plus a deadline for a message to arrive whole.

uvicorn hands its `ws_max_size` to websockets, which refuses a frame whose header announces
more, and a fragmented message whose fragments add up to more, before buffering the excess
(closing with 1009); `serve` sets it to the app's frame limit. What the size alone does not
stop is a client that starts a message and never finishes it while answering every ping: the
socket would hold the unfinished part for as long as it stays open. Here a message must be
complete within `UNFINISHED_MESSAGE_SECONDS` of its first byte arriving, or the socket is
closed (1008).

It also takes pre-framed messages (`realtime.hub.FrameSink`): the app finds the protocol in
the scope's extensions under `FRAMES_EXTENSION`, and writes the same frame bytes to every
socket of an audience straight to its transport, in one turn of the loop, instead of one
ASGI `send` (a task switch, a framing and a copy) per socket. Only where no extension was
negotiated: a permessage-deflate socket compresses each message with its own context, so
it keeps the ASGI path."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

from uvicorn._types import ASGISendEvent
from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol
from websockets.http11 import Request
from websockets.protocol import Protocol

from crowdsource.log_setup import SOCKETS_LOGGER
from crowdsource.web.socket_inbox import Gate, Inbox
from crowdsource.web.transport_addresses import connection_made

UNFINISHED_MESSAGE_SECONDS = 5.0  # a vote is a few hundred bytes; a slow phone needs < 1 s
UNFINISHED_CLOSE_CODE = 1008  # policy violation
UNFINISHED_CLOSE_REASON = "message not finished in time"
FRAMES_EXTENSION = "crowdsource.frames"  # scope["extensions"] key: the protocol, a FrameSink
SOCKETS_LOG = logging.getLogger(SOCKETS_LOGGER)


class BoundedWebSocketProtocol(WebSocketsSansIOProtocol):
    """Closes a socket that holds part of a message (a partial frame, or fragments without
    the final one) for longer than `unfinished_seconds`. The clock runs only while the server
    is reading: while uvicorn holds reading back for the app, the wait is the server's."""

    unfinished_seconds: float = UNFINISHED_MESSAGE_SECONDS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # What uvicorn and websockets say of each socket, on a logger of its own whose level
        # `serve` sets (log_setup.py): no record made of a line that would be dropped.
        self.logger = self.conn.logger = SOCKETS_LOG  # type: ignore[assignment]
        self.conn.debug = SOCKETS_LOG.isEnabledFor(logging.DEBUG)
        # What an idle socket keeps for its life: light stand-ins for uvicorn's asyncio.Queue
        # and asyncio.Event (web/socket_inbox.py).
        self.queue = Inbox()  # type: ignore[assignment]
        self.writable = Gate()  # type: ignore[assignment]
        self.writable.set()
        self.unfinished_timer: asyncio.TimerHandle | None = None
        self.frames_callback: Callable[[], None] | None = None
        self.frames_paused = False  # the transport's write buffer is above its mark

    def handshake_parsed(self, request: Request) -> None:
        """The upgrade's request, read by the HTTP protocol (web/handshake_request.py): what
        `data_received` does with its bytes, less reading them. websockets' parser moves on
        to the frames that follow, as it does once it has read a request."""
        self.conn.parser = Protocol.parse(self.conn)
        next(self.conn.parser)
        self.handle_connect(request)

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        connection_made(self, transport, "WebSocket", "ws")  # type: ignore[arg-type]

    async def run_asgi(self) -> None:
        extensions: dict[str, Any] = self.scope["extensions"]  # type: ignore[assignment]
        if not self.conn.extensions:  # frames can be shared byte for byte
            extensions[FRAMES_EXTENSION] = self
        try:
            await super().run_asgi()
        finally:
            # The scope is the protocol's own: once the app is done, the protocol in it
            # would be a reference cycle, left for the garbage collector to find.
            extensions.pop(FRAMES_EXTENSION, None)

    async def send(self, message: ASGISendEvent) -> None:
        await super().send(message)
        if self.handshake_complete and self.request is not None:
            # The handshake's request and response are not read again, but websockets' parser
            # keeps the request for the connection's life: its headers (about 3 KB; the app
            # has its own copy in the scope) are let go.
            self.request.headers.clear()
            self.request = self.response = None  # type: ignore[assignment]

    # -- FrameSink -----------------------------------------------------------------------

    def frames_open(self) -> bool:
        return not (self.close_sent or self.disconnected or self.transport.is_closing())

    def frames_ready(self) -> bool:
        # Once per socket per update: plain attributes first. The app takes frames only
        # after its accept, so the handshake is complete.
        return not (
            self.frames_paused
            or self.close_sent
            or self.disconnected
            or self.transport.is_closing()
        )

    def write_frame(self, frame: bytes) -> None:
        self.transport.write(frame)

    def when_frames_ready(self, callback: Callable[[], None] | None) -> None:
        self.frames_callback = callback

    def frames_drained(self) -> None:
        callback, self.frames_callback = self.frames_callback, None
        if callback is not None:
            callback()

    def pause_writing(self) -> None:
        super().pause_writing()
        self.frames_paused = True

    def resume_writing(self) -> None:
        super().resume_writing()
        self.frames_paused = False
        self.frames_drained()

    # -- unfinished messages -------------------------------------------------------------

    def holds_unfinished_message(self) -> bool:
        """Bytes of a frame not yet complete, or a fragmented message not yet ended."""
        return self.conn.current_size is not None or bool(self.conn.reader.buffer)

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        self.watch_unfinished()

    def watch_unfinished(self) -> None:
        """Start the deadline when a message has begun and none is running."""
        if self.close_sent or self.transport.is_closing():
            self.stop_unfinished_timer()
        elif self.unfinished_timer is None and self.holds_unfinished_message():
            self.unfinished_timer = self.loop.call_later(
                self.unfinished_seconds, self.unfinished_timeout
            )

    def send_receive_event_to_app(self) -> None:
        """A whole message arrived: whatever follows it starts a new deadline."""
        self.stop_unfinished_timer()
        super().send_receive_event_to_app()

    def connection_lost(self, exc: Exception | None) -> None:
        self.stop_unfinished_timer()
        super().connection_lost(exc)
        self.frames_drained()  # what waited for the buffer is dropped now

    def stop_unfinished_timer(self) -> None:
        if self.unfinished_timer is not None:
            self.unfinished_timer.cancel()
            self.unfinished_timer = None

    def unfinished_timeout(self) -> None:
        self.unfinished_timer = None
        if self.close_sent or self.transport.is_closing():
            return
        if self.read_paused or not self.holds_unfinished_message():
            # The app has not read the previous message yet: the rest waits in the kernel.
            self.watch_unfinished()
            return
        self.conn.fail(UNFINISHED_CLOSE_CODE, UNFINISHED_CLOSE_REASON)
        self.transport.write(b"".join(self.conn.data_to_send()))
        self.close_sent = True
        self.transport.close()
