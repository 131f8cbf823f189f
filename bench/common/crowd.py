"""The load generator's sockets: many WebSocket clients on one asyncio loop.

Each socket is websockets' own sans-I/O client protocol (the real handshake, framing,
ping/pong and permessage-deflate) driven by a bare asyncio.Protocol, so one core can read
tens of thousands of messages per second without a task per message. Once open and
uncompressed, a socket reads its data frames with `FrameReader` (a few µs per message
instead of websockets' ~10): the reading is inside every latency the benchmarks time."""

from __future__ import annotations

import asyncio
import json
import time
from array import array
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import cast

from websockets.client import ClientProtocol
from websockets.extensions.permessage_deflate import ClientPerMessageDeflateFactory
from websockets.frames import Frame, Opcode
from websockets.http11 import Response
from websockets.protocol import State
from websockets.uri import parse_uri

from bench.common.frame_reader import CONTINUATION, PING, TEXT, FrameReader
from bench.common.watch import Watch

TOTAL_MARK = b'data-total-votes="'
ACK_MARK = b"vote-status-ok"
REFUSED_MARK = b"vote-status-error"


class Activity:
    """When any socket last received anything: lets the bench wait for quiet."""

    last = 0.0


@dataclass(eq=False)
class Viewer(asyncio.Protocol):
    """One socket. The total is read from `data-total-votes` in the messages (Crowdsource's
    HTML fragments, and the naive server's numbered broadcasts alike)."""

    uri: str
    origin: str | None
    cookie: str | None
    deflate: bool
    total: int = 0
    messages: int = 0
    bytes: int = 0  # message payloads as the page gets them (after any inflation)
    wire_bytes: int = 0  # what came over TCP: frames, compressed when deflate is on
    acks: list[float] = field(default_factory=list)
    refusals: list[bytes] = field(default_factory=list)
    times: array[float] | None = None
    watches: tuple[Watch, ...] = ()
    opened: asyncio.Future[None] | None = None
    closed: bool = False
    on_message: Callable[[Viewer, bytes, float], None] | None = None  # before the total is read

    def __post_init__(self) -> None:
        extensions = (
            [ClientPerMessageDeflateFactory(compress_settings={"memLevel": 5})]
            if self.deflate
            else None  # websockets' own default when compression is on, as browsers do
        )
        self.ws = ClientProtocol(
            parse_uri(self.uri), origin=self.origin, extensions=extensions, max_size=None
        )
        self.opened = asyncio.get_running_loop().create_future()
        self._parts: list[bytes] = []
        self._reader: FrameReader | None = None  # after the handshake, until a close frame
        self._handed_back = False  # websockets reads everything once it has had a frame

    # -- asyncio.Protocol -----------------------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)  # uvloop's is not a subclass
        request = self.ws.connect()
        if self.cookie:
            request.headers["Cookie"] = self.cookie
        self.ws.send_request(request)
        self._flush()

    def data_received(self, data: bytes) -> None:
        self.wire_bytes += len(data)
        now = time.perf_counter()
        Activity.last = now
        if self._reader is not None:
            frames, rest = self._reader.feed(data)
            for opcode, fin, payload in frames:
                if opcode == PING:
                    self.ws.send_pong(payload)
                elif opcode in (TEXT, CONTINUATION):
                    self._part(payload, fin, now)
            if rest is None:
                self._flush()
                return
            self._reader, self._handed_back = None, True
            data = rest
        self.ws.receive_data(data)
        for event in self.ws.events_received():
            if isinstance(event, Frame):
                self._frame(event, now)
            elif isinstance(event, Response):
                self._handshake(event)
        if (
            not self._handed_back
            and self.ws.state is State.OPEN
            and not self.ws.reader.buffer  # nothing half-read by websockets
            and not self.negotiated_deflate
        ):
            self._reader = FrameReader()
        self._flush()

    def eof_received(self) -> bool | None:
        self.ws.receive_eof()
        self._flush()
        return None

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        if self.opened is not None and not self.opened.done():
            self.opened.set_exception(ConnectionError(f"connection lost: {exc}"))

    # -- the WebSocket side -----------------------------------------------------------------

    @property
    def negotiated_deflate(self) -> bool:
        return any(ext.name == "permessage-deflate" for ext in self.ws.extensions)

    def send(self, text: str) -> None:
        self.ws.send_text(text.encode())
        self._flush()

    def close(self) -> None:
        if self.ws.state is State.OPEN:
            self.ws.send_close(1000)
            self._flush()
        self.transport.close()

    def _flush(self) -> None:
        for chunk in self.ws.data_to_send():
            if chunk:
                self.transport.write(chunk)
            elif self.transport.can_write_eof():
                self.transport.write_eof()

    def _handshake(self, response: Response) -> None:
        assert self.opened is not None
        if self.ws.state is State.OPEN:
            self.opened.set_result(None)
        else:
            error = self.ws.handshake_exc or ConnectionError(f"HTTP {response.status_code}")
            self.opened.set_exception(error)

    def _frame(self, frame: Frame, now: float) -> None:
        if frame.opcode is Opcode.TEXT or frame.opcode is Opcode.CONT:
            self._part(frame.data, frame.fin, now)

    def _part(self, data: bytes, fin: bool, now: float) -> None:
        if fin and not self._parts:  # a message in one frame, as servers mostly send them
            self._message(data, now)
            return
        self._parts.append(data)
        if fin:
            message = b"".join(self._parts)
            self._parts.clear()
            self._message(message, now)

    def _message(self, message: bytes, now: float) -> None:
        self.messages += 1
        self.bytes += len(message)
        if self.times is not None:
            self.times.append(now)
        if self.on_message is not None:
            self.on_message(self, message, now)
        at = message.rfind(TOTAL_MARK)
        if at >= 0:
            start = at + len(TOTAL_MARK)
            new = int(message[start : message.index(b'"', start)])
        else:
            new = self.total
            if ACK_MARK in message:
                self.acks.append(now)
            elif REFUSED_MARK in message:
                self.refusals.append(message)
        if new > self.total:
            for watch in self.watches:
                watch.advance(self.total, new, now)
            self.total = new

    # -- per phase ---------------------------------------------------------------------------

    def reset(self, *, record_times: bool = False) -> None:
        """Start counting messages and bytes afresh (a new phase); the total stays what the
        page shows."""
        self.messages = 0
        self.bytes = 0
        self.wire_bytes = 0
        self.acks.clear()
        self.refusals.clear()
        self.times = array("d") if record_times else None


def answer_frame(text: str, page_url: str) -> str:
    """What the vote form of a text question sends: its `answer` instead of a `choice`."""
    return vote_frame(text, page_url, field="answer")


def vote_frame(choice: str | list[str], page_url: str, field: str = "choice") -> str:
    """What htmx's ws extension sends for the vote form: its fields plus HEADERS."""
    headers = {
        "HX-Request": "true",
        "HX-Trigger": "vote-form",
        "HX-Trigger-Name": None,
        "HX-Target": "vote-form",
        "HX-Current-URL": page_url,
    }
    return json.dumps({field: choice, "HEADERS": headers})


@dataclass
class Crowd:
    """Sockets to one URL, opened a few at a time (a lecture hall does not connect in one
    millisecond either, and the listen backlog is finite)."""

    uri: str
    origin: str | None
    deflate: bool
    viewers: list[Viewer] = field(default_factory=list)

    async def open(
        self,
        cookies: Sequence[str | None],
        parallel: int = 50,
        uris: Sequence[str] = (),
    ) -> None:
        """One socket per cookie; with `uris`, the sockets take turns over those URLs (one
        per server process) instead of all going to `self.uri`."""
        loop = asyncio.get_running_loop()
        gate = asyncio.Semaphore(parallel)
        targets = list(uris) or [self.uri]

        async def one(cookie: str | None, uri: str) -> Viewer:
            parsed = parse_uri(uri)
            async with gate:
                _, viewer = await loop.create_connection(
                    lambda: Viewer(uri, self.origin, cookie, self.deflate),
                    parsed.host,
                    parsed.port,
                )
                assert viewer.opened is not None
                await asyncio.wait_for(viewer.opened, 60)
                return viewer

        self.viewers += await asyncio.gather(
            *(one(cookie, targets[n % len(targets)]) for n, cookie in enumerate(cookies))
        )

    def reset(self, *, record_times: bool = False) -> None:
        for viewer in self.viewers:
            viewer.reset(record_times=record_times)

    def watch(self, base: int, votes: int, groups: Mapping[str, Sequence[Viewer]] = {}) -> Watch:
        """Follow every viewer from `base` to `base + votes`; each of `groups` (viewers of one
        server process) is followed on its own too, in the returned watch's `parts`."""
        watch = Watch(len(self.viewers), base, votes)
        watch.parts = {name: Watch(len(group), base, votes) for name, group in groups.items()}
        for viewer in self.viewers:
            viewer.watches = (watch,)
        for name, group in groups.items():
            for viewer in group:
                viewer.watches += (watch.parts[name],)
        for viewer in self.viewers:
            if viewer.total > base:
                for each in viewer.watches:
                    each.advance(base, viewer.total, time.perf_counter())
        return watch

    def close(self) -> None:
        for viewer in self.viewers:
            viewer.close()
        self.viewers.clear()


async def quiet(seconds: float = 0.5, limit: float = 60.0) -> None:
    """Wait until no socket has received anything for `seconds`."""
    deadline = time.perf_counter() + limit
    while time.perf_counter() < deadline:
        idle = time.perf_counter() - Activity.last
        if idle >= seconds:
            return
        await asyncio.sleep(seconds - idle + 0.01)
