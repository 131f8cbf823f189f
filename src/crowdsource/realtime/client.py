"""One socket's client: its bounded outbox, and how its messages are written (see hub.py)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from crowdsource.realtime.close_codes import WS_1000_NORMAL_CLOSURE, WS_1011_INTERNAL_ERROR
from crowdsource.realtime.frames import Frame, Message, framed, text_of

log = logging.getLogger("crowdsource.realtime")

OUTBOX_SIZE = 32


class Socket(Protocol):
    async def send_text(self, data: str) -> None: ...
    async def close(
        self, code: int = WS_1000_NORMAL_CLOSURE, reason: str | None = None
    ) -> None: ...


class FrameSink(Protocol):
    """A socket's connection that takes pre-framed messages, written at once."""

    def frames_ready(self) -> bool:
        """Open, and its write buffer below its high-water mark."""

    def frames_open(self) -> bool:
        """Not closed nor closing: what waits may still go out."""

    def write_frame(self, frame: bytes) -> None: ...

    def when_frames_ready(self, callback: Callable[[], None] | None) -> None:
        """Call `callback` once, when the write buffer has drained or the connection is
        lost (None: forget the callback)."""


class _Resync:
    """Outbox marker: send full state instead of the deltas that were dropped."""


@dataclass(frozen=True)
class _Close:
    code: int
    reason: str = ""


RESYNC = _Resync()
Item = Message | _Resync | _Close


def _nothing_to_render() -> str:
    """The full state of a client that has left: nothing is sent to it any more."""
    return ""


@dataclass(eq=False, slots=True, weakref_slot=True)
class Client:
    """One connected socket: its outbox, how it is written to (`frames`, else a writer
    task), and how to render its full state. `overflowed` is called each time the outbox
    overflows (a metric)."""

    socket: Socket
    full_state: Callable[[], str]
    overflowed: Callable[[], None] = lambda: None
    frames: FrameSink | None = None
    writer: asyncio.Task[None] | None = None
    resync_pending: bool = False
    resyncs: int = 0  # full states asked for so far: what was queued before each is lost
    sent_messages: int = 0
    _pump_scheduled: bool = False
    _left: bool = False
    # An asyncio.Queue is about 3 KB: a socket that takes frames has one only while
    # something waits (its full state, a full write buffer, its close).
    _outbox: asyncio.Queue[Item] | None = field(default=None, repr=False)

    @property
    def outbox(self) -> asyncio.Queue[Item]:
        if self._outbox is None:
            self._outbox = asyncio.Queue(OUTBOX_SIZE)
        return self._outbox

    def queued(self) -> int:
        """Messages (and markers) waiting in the outbox."""
        return 0 if self._outbox is None else self._outbox.qsize()

    def offer(self, message: Message) -> None:
        """Send or queue a message without waiting; on overflow fall back to one
        full-state send."""
        if self.resync_pending or self._left:  # a full state will cover it
            return
        # Nothing to say: a Frame's size read in place (its `len()` was a Python-level call
        # per socket per update, a fortieth of a school's publishing).
        if not (message.size if message.__class__ is Frame else message):  # type: ignore[union-attr]
            return
        frames = self.frames  # the common case inline, once per socket per update: no `_write`
        if frames is not None and self._outbox is None and frames.frames_ready():
            frames.write_frame(framed(message).wire)
            self.sent_messages += 1
            return
        try:
            self.outbox.put_nowait(message)
        except asyncio.QueueFull:
            self.overflowed()
            self.request_resync()
            return
        self._pump_soon()

    def tell(self, message: Message) -> None:
        """A message for this viewer alone (how their vote went): queued even while a full
        state is pending, which does not contain it; only an overflowing outbox drops
        what was queued before it."""
        if self._left or self._written_at_once(message):
            return
        try:
            self.outbox.put_nowait(message)
        except asyncio.QueueFull:
            self.overflowed()
            self.request_resync()
            self.outbox.put_nowait(message)
        self._pump_soon()

    def _written_at_once(self, message: Message) -> bool:
        """Frames, nothing waiting before it, room in the buffer: written now."""
        frames = self.frames
        if frames is None or self.queued() or not frames.frames_ready():
            return False
        self._write(frames, message)
        return True

    def request_resync(self) -> None:
        self._replace_queue_with(RESYNC)
        self.resync_pending = True
        self.resyncs += 1
        self._pump_soon()

    def close(self, code: int, reason: str = "") -> None:
        """Close after what is queued (an error message first, say)."""
        try:
            self.outbox.put_nowait(_Close(code, reason))
        except asyncio.QueueFull:
            self._replace_queue_with(_Close(code, reason))
        self._pump_soon()

    def _replace_queue_with(self, item: _Resync | _Close) -> None:
        while not self.outbox.empty():
            self.outbox.get_nowait()
        self.outbox.put_nowait(item)

    def _text_of(self, item: Message | _Resync) -> Message | None:
        """What to send for an item of the outbox: a full state is rendered now; None when
        that render failed (the socket is then closed with 1011)."""
        if not isinstance(item, _Resync):
            return item
        self.resync_pending = False
        try:
            return self.full_state()
        except Exception:  # a bug in one render must not leave the socket mute
            log.exception("rendering the full state of a socket failed")
            return None

    # -- writing frames directly ---------------------------------------------------------

    def _write(self, frames: FrameSink, message: Message) -> None:
        frame = framed(message)
        frames.write_frame(frame.wire)
        self.sent_messages += 1

    def _pump_soon(self) -> None:
        """Frames: write what waits in a later turn of the loop (a full state is rendered
        then, once however many times it was asked for meanwhile)."""
        if self.frames is None or self._pump_scheduled or self._left:
            return
        self._pump_scheduled = True
        asyncio.get_running_loop().call_soon(self.pump)

    def pump(self) -> None:
        """Write what waits while the connection takes it; when its buffer is full, go on
        once it has drained. A connection gone takes nothing more."""
        self._pump_scheduled = False
        frames, outbox = self.frames, self._outbox
        assert frames is not None
        if outbox is None:
            return
        while not outbox.empty() and not self._left:
            if not frames.frames_ready():
                if frames.frames_open():
                    frames.when_frames_ready(self.pump)
                else:  # its route hears of it, and leaves
                    self.leave()
                return
            item = outbox.get_nowait()
            if isinstance(item, _Close):
                self._start_closing(item)
                return
            text = self._text_of(item)
            if text is None:
                self._start_closing(_Close(WS_1011_INTERNAL_ERROR, "server error"))
                return
            self._write(frames, text)
        if not self._left:
            self._outbox = None  # all sent: the next message is written at once

    def _start_closing(self, item: _Close) -> None:
        """The close frame goes through the socket's own (ASGI) close; nothing after it."""
        self._left = True
        self.writer = asyncio.ensure_future(self._send_close(item))

    async def _send_close(self, item: _Close) -> None:
        with contextlib.suppress(Exception):
            await self.socket.close(item.code, item.reason)

    def leave(self) -> None:
        """Take nothing more; drop what waits, and the full state's render. That render
        refers to the subscriber, which refers to this client: dropping it lets reference
        counting free both as soon as the socket's route ends, instead of leaving a cycle
        for the garbage collector (docs/performance.md, "Garbage collection")."""
        self._left = True
        self.full_state = _nothing_to_render
        if self.frames is not None:
            self.frames.when_frames_ready(None)
        if self._outbox is not None:
            while not self._outbox.empty():
                self._outbox.get_nowait()

    async def finish(self, within: float) -> None:
        """Let what is queued (an error message, a close frame) go out and close, waiting
        at most `within` seconds for it; a stalled socket's frames are not waited for."""
        if not self._left:
            self.close(WS_1000_NORMAL_CLOSURE)
            if self.frames is not None:
                self.pump()
        if self.writer is not None and not self.writer.done():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(asyncio.shield(self.writer), within)

    # -- writing through the socket's own send (sockets that take no frames) ------------

    async def run_writer(self) -> None:
        """Send queued messages in order until closed or the socket fails."""
        while True:
            item = await self.outbox.get()
            if isinstance(item, _Close):
                with contextlib.suppress(Exception):
                    await self.socket.close(item.code, item.reason)
                return
            text = self._text_of(item)
            if text is None:
                with contextlib.suppress(Exception):
                    await self.socket.close(WS_1011_INTERNAL_ERROR, "server error")
                return
            try:
                await self.socket.send_text(text_of(text))
            except Exception:  # a broken socket ends its own writer, nobody else's
                log.debug("socket writer stopped", exc_info=True)
                return
            self.sent_messages += 1
