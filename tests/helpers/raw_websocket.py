"""A WebSocket client that sends what browsers never do: a frame cut short, fragments that
never end, a header announcing megabytes. websockets' sans-I/O client over a plain socket,
so every byte is the test's to choose; it answers pings like a live peer meanwhile."""

from __future__ import annotations

import socket
import time
from typing import Self

from websockets.client import ClientProtocol
from websockets.frames import Frame, Opcode
from websockets.http11 import Response
from websockets.uri import parse_uri

READ_BYTES = 65536


class RawWebSocket:
    """An open WebSocket to `url` (handshake done); `headers` are added to the request."""

    def __init__(self, url: str, headers: dict[str, str] | None = None, timeout: float = 10.0):
        uri = parse_uri(url)
        self.protocol = ClientProtocol(uri, max_size=None)
        self.sock = socket.create_connection((uri.host, uri.port), timeout=timeout)
        self.eof = False
        self.messages: list[str | bytes] = []
        request = self.protocol.connect()
        for name, value in (headers or {}).items():
            request.headers[name] = value
        self.protocol.send_request(request)
        self.flush()
        self.response: Response | None = None
        deadline = time.monotonic() + timeout
        while self.response is None and not self.eof and time.monotonic() < deadline:
            self.pump(deadline)
        if self.response is None or self.response.status_code != 101:
            status = self.response.status_code if self.response else None
            raise ConnectionError(f"handshake refused: {status}")

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.sock.close()

    def flush(self) -> None:
        """Send what the protocol has queued (the request, frames, pongs, a close reply)."""
        for data in self.protocol.data_to_send():
            if data:
                try:
                    self.sock.sendall(data)
                except OSError:
                    self.eof = True

    def send_raw(self, data: bytes) -> bool:
        """Write `data` as it is; False when the server has already cut the connection."""
        try:
            self.sock.sendall(data)
        except OSError:
            return False
        return True

    def send_text(self, text: str, *, fin: bool = True) -> None:
        self.protocol.send_text(text.encode(), fin=fin)
        self.flush()

    def send_continuation(self, text: str, *, fin: bool) -> None:
        self.protocol.send_continuation(text.encode(), fin=fin)
        self.flush()

    @staticmethod
    def text_frame(text: str) -> bytes:
        """A whole masked text frame, to send part of it with `send_raw`."""
        return Frame(Opcode.TEXT, text.encode()).serialize(mask=True, extensions=[])

    def pump(self, deadline: float) -> None:
        """Read what arrives before `deadline`, answer it (pings, a close), keep messages."""
        self.sock.settimeout(max(0.01, deadline - time.monotonic()))
        try:
            data = self.sock.recv(READ_BYTES)
        except TimeoutError:
            return
        except OSError:
            data = b""
        if data:
            self.protocol.receive_data(data)
        else:
            self.eof = True
            self.protocol.receive_eof()
        for event in self.protocol.events_received():
            if isinstance(event, Response):
                self.response = event
            elif isinstance(event, Frame) and event.opcode in (Opcode.TEXT, Opcode.BINARY):
                self.messages.append(bytes(event.data).decode())
        self.flush()

    def receive_until(self, needle: str, timeout: float = 10.0) -> str:
        """The first message that contains `needle`, reading until then."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and not self.eof:
            for message in self.messages:
                if isinstance(message, str) and needle in message:
                    self.messages.remove(message)
                    return message
            self.pump(deadline)
        raise AssertionError(f"no message with {needle!r} in {timeout} s")

    def wait_closed(self, timeout: float) -> int | None:
        """The close code the server sent (None: cut without one), within `timeout` seconds;
        AssertionError when the socket is still open then."""
        deadline = time.monotonic() + timeout
        while not self.eof and self.protocol.close_rcvd is None:
            if time.monotonic() >= deadline:
                raise AssertionError(f"still open after {timeout} s")
            self.pump(deadline)
        return self.protocol.close_rcvd.code if self.protocol.close_rcvd else None
