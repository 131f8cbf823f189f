"""What every live socket route shares (the poll's and the room's): the Origin check, the
per-address socket limit, reading frames (size, bad-frame budget), who votes, and telling the
voter how it went."""

from __future__ import annotations

import asyncio
import json
import time
from collections import deque
from collections.abc import Awaitable, Callable

from starlette import status
from starlette.websockets import WebSocket, WebSocketDisconnect

from crowdsource.auth.backend import current_user
from crowdsource.domain.ballots import Receipt, vote_confirmation
from crowdsource.domain.kinds import Kind
from crowdsource.domain.models import User
from crowdsource.domain.vote_refusals import SignedOut, VoteRejected
from crowdsource.i18n.current import Text
from crowdsource.realtime.hub import FrameSink
from crowdsource.realtime.publisher import Publisher
from crowdsource.realtime.viewers import Subscriber
from crowdsource.web.errors import said
from crowdsource.web.guards import client_address
from crowdsource.web.ratelimit import SLOW_DOWN
from crowdsource.web.socket_protocol import FRAMES_EXTENSION

MAX_FRAME_BYTES = 4096
BAD_FRAMES_PER_MINUTE = 20
WRITER_DRAIN_SECONDS = 5
TOO_BIG = Text("That message was too big to accept.")


class FrameRefused(Exception):
    """A frame that changes nothing; the message (a `Text`) is shown to the sender."""


def parse_vote(text: str) -> dict[str, object]:
    """The fields htmx's ws extension sends for the vote form (`choice` or `answer`)."""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):  # RecursionError: nested deeper than the stack
        raise FrameRefused(
            Text("That message could not be read. Reload the page and try again.")
        ) from None
    if not isinstance(data, dict) or ("choice" not in data and "answer" not in data):
        raise FrameRefused(Text("Pick one of the responses, then vote."))
    return data


class BadFrameCounter:
    """Tolerates slips; a client that keeps misbehaving is disconnected. Kept by every
    socket for its whole life, so the times of bad frames (an empty deque is 760 bytes) are
    only kept once there is one."""

    __slots__ = ("_times", "limit", "window")

    def __init__(self, limit: int = BAD_FRAMES_PER_MINUTE, window: float = 60.0) -> None:
        self.limit = limit
        self.window = window
        self._times: deque[float] | None = None

    def too_many(self) -> bool:
        now = time.monotonic()
        if self._times is None:
            self._times = deque()
        self._times.append(now)
        while self._times and self._times[0] < now - self.window:
            self._times.popleft()
        return len(self._times) > self.limit


def frame_sink(websocket: WebSocket) -> FrameSink | None:
    """The socket's connection when it takes pre-framed messages (`crowdsource serve`'s
    protocol, no permessage-deflate); None elsewhere (a test client, a deflating socket)."""
    sink: FrameSink | None = websocket.scope.get("extensions", {}).get(FRAMES_EXTENSION)
    return sink


def origin_allowed(websocket: WebSocket) -> bool:
    """A browser's Origin must be PUBLIC_URL's; no Origin (not a browser) is allowed."""
    origin = websocket.headers.get("origin")
    return origin is None or origin == websocket.app.state.settings.public_origin


async def voter_of(
    websocket: WebSocket, subscriber: Subscriber, text: str
) -> tuple[User, dict[str, object]]:
    """Who votes, and what they sent: refused when signed out (or expired meanwhile: the
    page says so at once), unreadable, or too fast. A sign-out elsewhere since the socket
    opened is checked where the vote is stored (`vote_refused`), not by a query here."""
    user = current_user(websocket)
    if user is None or not websocket.user.still_valid():
        subscriber.sign_out()
        raise FrameRefused(said(SignedOut()))
    fields = parse_vote(text)
    if not websocket.app.state.limits.votes.allow(user.id):
        raise FrameRefused(SLOW_DOWN)
    return user, fields


def vote_refused(subscriber: Subscriber, rejected: VoteRejected) -> FrameRefused:
    """What the voter is told of a refused vote; one who signed out meanwhile (another tab)
    gets the page of a signed-out visitor too."""
    if isinstance(rejected, SignedOut):
        subscriber.sign_out()
    return FrameRefused(said(rejected))


def confirm(websocket: WebSocket, subscriber: Subscriber, chosen: Receipt) -> None:
    websocket.app.state.publisher.tell_status(
        subscriber, vote_confirmation(chosen), kind="ok", open_answer=chosen.kind == Kind.TEXT
    )


async def refused_before_joining(websocket: WebSocket) -> bool:
    """A browser from another origin is refused before accept (it sees HTTP 403)."""
    if origin_allowed(websocket):
        return False
    await websocket.close(status.WS_1008_POLICY_VIOLATION)
    return True


async def admitted(websocket: WebSocket, serve: Callable[[], Awaitable[None]]) -> None:
    """Serve the socket unless its address holds too many already."""
    sockets, address = websocket.app.state.limits.sockets, client_address(websocket)
    if not await sockets.admit(address):
        # Accepted first, so that the close code reaches the browser (a refused handshake
        # is only a 403): 1013 says "try again later", and htmx does, with a backoff.
        await websocket.accept()
        await websocket.close(status.WS_1013_TRY_AGAIN_LATER, "too many sockets from here")
        return
    try:
        await serve()
    finally:
        sockets.release(address)


async def signed_out_before_joining(websocket: WebSocket, subscriber: Subscriber) -> bool:
    """A sign-out that committed after the handshake read the token, and whose news passed
    before the socket joined. Only a user whose sign-out this process heard lately can be
    in that window, so only they cost a query."""
    user_id = subscriber.viewer.user_id
    recent = websocket.app.state.publisher.recent_sign_outs
    return (
        user_id is not None
        and recent.lately(user_id)
        and not await websocket.user.still_signed_in()
    )


async def receive_frames(
    websocket: WebSocket, subscriber: Subscriber, handle: Callable[[str], Awaitable[None]]
) -> None:
    """Hand each frame to `handle` until the socket goes; a refused frame is answered in
    `#vote-status`, and a client that keeps sending bad ones is disconnected."""
    publisher = websocket.app.state.publisher
    if await signed_out_before_joining(websocket, subscriber):
        subscriber.sign_out()
    client = subscriber.client
    bad_frames = BadFrameCounter()
    try:
        while True:
            message = await websocket.receive()
            if message["type"] == "websocket.disconnect":
                break
            text = message.get("text")
            if text is None:
                text = (message.get("bytes") or b"").decode("utf-8", "replace")
            if len(text.encode()) > MAX_FRAME_BYTES:
                publisher.tell_status(subscriber, TOO_BIG)
                client.close(status.WS_1009_MESSAGE_TOO_BIG, "frame too big")
                break
            try:
                await handle(text)
            except FrameRefused as refused:
                publisher.tell_status(subscriber, said(refused))
                if bad_frames.too_many():
                    client.close(status.WS_1008_POLICY_VIOLATION, "too many bad messages")
                    break
    except WebSocketDisconnect:
        pass
    finally:
        # Leaving runs to its end even when this task is cancelled (a server stopping, a
        # test client ending its session): a member left behind would count as watching.
        await asyncio.shield(leave(publisher, subscriber))


async def leave(publisher: Publisher, subscriber: Subscriber) -> None:
    """Let a queued error and close frame go out, then leave the group."""
    await subscriber.client.finish(WRITER_DRAIN_SECONDS)
    await publisher.disconnect(subscriber)
