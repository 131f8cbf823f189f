"""Poll pages for the load test: one WebSocket each that reconnects the way a browser does.

A `Page` keeps what an htmx page would show (the total and every response's count, read from
`data-total-votes` and `data-votes` in each pushed fragment), survives its socket and opens a
new one after a close code that htmx reconnects on, with static/js/live.js's backoff. The
socket itself is bench/common/crowd.py's `Viewer` (websockets' sans-I/O client on a bare protocol);
`PageSocket` only forwards what it reads to its page."""

from __future__ import annotations

import asyncio
import contextlib
import random
import re
import time
from collections import Counter
from dataclasses import dataclass, field

from websockets.protocol import State
from websockets.uri import parse_uri

from bench.common.crowd import ACK_MARK, REFUSED_MARK, Viewer

TOTAL = re.compile(rb'data-total-votes="(\d+)"')
CHOICE = re.compile(rb'data-choice-id="(\d+)" data-votes="(\d+)"')
ACKED_LABEL = re.compile(rb"\xe2\x80\x9c(.*?)\xe2\x80\x9d")  # Your vote for “label” is in.
FULL_STATE = b'id="results"'
ABNORMAL = 1006  # no close frame: refused, reset, or a failed handshake
HTMX_RECONNECTS = frozenset({1006, 1011, 1012, 1013})  # htmx-ext-ws 2.0.4
APP_RECONNECTS = frozenset({1001})  # static/js/live.js adds "going away"
HANDSHAKE_SECONDS = 30.0


def reconnect_delay(retry: int) -> float:
    """static/js/live.js's `wsReconnectDelay`: full jitter, a random wait below
    1 s x 2^retry and at most 8 s (htmx-ext-ws's own "full-jitter" grows to 64 s)."""
    return min(2**retry, 8) * random.random()


def app_delay() -> float:
    """static/js/live.js after a 1001: 0.5 to 2 s."""
    return 0.5 + 1.5 * random.random()


@dataclass(eq=False)
class PageSocket(Viewer):
    """One socket of a page; it lives until the server or the page closes it."""

    page: Page | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        self.lost = asyncio.get_running_loop().create_future()

    def _message(self, message: bytes, now: float) -> None:
        super()._message(message, now)
        assert self.page is not None
        self.page.on_message(message, now)

    def connection_lost(self, exc: Exception | None) -> None:
        super().connection_lost(exc)
        if not self.lost.done():
            # A browser reports the code of a close frame it got, even when the TCP close
            # that follows is not clean (a reset when the server has closed its end).
            received = self.ws.close_rcvd
            self.lost.set_result(received.code if received is not None else ABNORMAL)


@dataclass(eq=False)
class Page:
    """One open poll page: its numbers as shown, and its socket's life story."""

    uri: str
    origin: str
    cookie: str | None = None
    total: int | None = None
    counts: dict[str, int] = field(default_factory=dict)
    socket: PageSocket | None = None
    connects: int = 0
    failed_attempts: int = 0
    close_codes: Counter[int] = field(default_factory=Counter)
    synced_at: float = 0.0  # when the last connection's full state arrived
    attempted_at: float = 0.0  # when the attempt that opened the last connection began
    given_up: bool = False
    messages: int = 0
    bytes: int = 0
    _open: asyncio.Event = field(default_factory=asyncio.Event)
    _pending: tuple[str, asyncio.Future[str]] | None = None
    _stopped: bool = False
    _task: asyncio.Task[None] | None = None

    # -- what the socket reports -------------------------------------------------------

    def on_message(self, message: bytes, now: float) -> None:
        self.messages += 1
        self.bytes += len(message)
        totals = TOTAL.findall(message)
        if totals:
            self.total = int(totals[-1])
        for choice_id, votes in CHOICE.findall(message):
            self.counts[choice_id.decode()] = int(votes)
        if FULL_STATE in message and not self.synced_at:
            self.synced_at = now
        if ACK_MARK in message:
            found = ACKED_LABEL.search(message)
            self._resolve("ok", found.group(1).decode() if found else None)
        elif REFUSED_MARK in message:
            self._resolve("refused", None)

    def _resolve(self, outcome: str, label: str | None) -> None:
        if self._pending is None:
            return
        expected, future = self._pending
        if outcome == "ok" and label != expected:
            return  # a late acknowledgement of an earlier attempt
        if not future.done():
            future.set_result(outcome)

    # -- the browser's part ------------------------------------------------------------

    def start(self) -> None:
        self._task = asyncio.create_task(self._run())

    @property
    def is_open(self) -> bool:
        return self._open.is_set()

    async def wait_open(self) -> None:
        await self._open.wait()

    def expect(self, label: str) -> asyncio.Future[str]:
        """The outcome of the next vote for `label`: ok, refused, or lost (socket closed)."""
        future: asyncio.Future[str] = asyncio.get_running_loop().create_future()
        self._pending = (label, future)
        return future

    def send(self, text: str) -> bool:
        """False when the socket is already closing (its close frame came, the TCP close
        has not yet): the vote waits for the next socket, as htmx's queue does."""
        if self.socket is None or self.socket.ws.state is not State.OPEN:
            return False
        self.socket.send(text)
        return True

    async def _connect(self) -> PageSocket | None:
        """One attempt: TCP, then the handshake. None when either fails (as a browser's
        close code 1006)."""
        loop = asyncio.get_running_loop()
        parts = parse_uri(self.uri)
        socket: PageSocket | None = None
        try:
            _, socket = await loop.create_connection(
                lambda: PageSocket(self.uri, self.origin, self.cookie, False, page=self),
                parts.host,
                parts.port,
            )
            assert socket.opened is not None
            await asyncio.wait_for(socket.opened, HANDSHAKE_SECONDS)
        except Exception:  # refused, reset, HTTP 4xx/5xx instead of 101, timeout
            if socket is not None:
                socket.transport.close()
            self.failed_attempts += 1
            return None
        return socket

    async def _run(self) -> None:
        retry = 0
        while not self._stopped:
            self.synced_at, attempted_at = 0.0, time.perf_counter()
            socket = await self._connect()
            code = ABNORMAL
            if socket is not None:
                retry = 0
                self.connects += 1
                self.attempted_at = attempted_at
                self.socket = socket
                self._open.set()
                code = await socket.lost
                self._open.clear()
                self.socket = None
                if self._pending is not None and not self._pending[1].done():
                    self._pending[1].set_result("lost")
            if self._stopped:
                return
            if socket is not None:
                self.close_codes[code] += 1
            if code in APP_RECONNECTS:
                await asyncio.sleep(app_delay())
            elif code in HTMX_RECONNECTS:
                await asyncio.sleep(reconnect_delay(retry))
                retry += 1
            else:
                self.given_up = True
                return

    async def first_open(self) -> None:
        """Start and wait for the first full state (set-up: fail loudly if it never comes)."""
        self.start()
        deadline = time.perf_counter() + HANDSHAKE_SECONDS
        while not (self.is_open and self.synced_at):
            if time.perf_counter() > deadline or self.given_up:
                raise RuntimeError(f"a page never opened {self.uri}")
            await asyncio.sleep(0.05)

    async def stop(self) -> None:
        self._stopped = True
        if self.socket is not None:
            self.socket.close()
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
