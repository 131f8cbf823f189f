"""WS /polls/{slug}/ws: live results out, votes in, on one socket per page."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections import deque

from starlette import status
from starlette.websockets import WebSocket, WebSocketDisconnect

from crowdsource.auth.backend import current_user, session_expiry
from crowdsource.auth.csrf import csrf_token
from crowdsource.domain.ballots import VoteRejected, vote_confirmation
from crowdsource.domain.models import Poll
from crowdsource.domain.poll_queries import PollNotFound, get_poll
from crowdsource.realtime.fragments import PAGE, ROOM
from crowdsource.realtime.viewers import Subscriber
from crowdsource.web import urls
from crowdsource.web.browser_vote import check_browser_vote
from crowdsource.web.guards import client_address, poll_commands
from crowdsource.web.ratelimit import SLOW_DOWN
from crowdsource.web.urls import websocket_route

MAX_FRAME_BYTES = 4096
BAD_FRAMES_PER_MINUTE = 20
WRITER_DRAIN_SECONDS = 5


class FrameRefused(Exception):
    """A frame that changes nothing; the message is shown to the sender."""


def parse_vote(text: str) -> object:
    """The `choice` of what htmx's ws extension sends for the vote form."""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):  # RecursionError: nested deeper than the stack
        raise FrameRefused(
            "That message could not be read. Reload the page and try again."
        ) from None
    if not isinstance(data, dict) or "choice" not in data:
        raise FrameRefused("Pick one of the responses, then vote.")
    return data["choice"]


class BadFrameCounter:
    """Tolerates slips; a client that keeps misbehaving is disconnected."""

    def __init__(self, limit: int = BAD_FRAMES_PER_MINUTE, window: float = 60.0) -> None:
        self.limit = limit
        self.window = window
        self._times: deque[float] = deque()

    def too_many(self) -> bool:
        now = time.monotonic()
        self._times.append(now)
        while self._times and self._times[0] < now - self.window:
            self._times.popleft()
        return len(self._times) > self.limit


def origin_allowed(websocket: WebSocket) -> bool:
    """A browser's Origin must be PUBLIC_URL's; no Origin (not a browser) is allowed."""
    origin = websocket.headers.get("origin")
    return origin is None or origin == websocket.app.state.settings.public_origin


async def handle_frame(websocket: WebSocket, subscriber: Subscriber, poll: Poll, text: str) -> None:
    user = current_user(websocket)
    if user is None or not await websocket.user.still_signed_in():
        subscriber.sign_out()  # signed out or expired meanwhile: the page says so at once
        raise FrameRefused("Sign in to vote.")
    choice = parse_vote(text)
    if not websocket.app.state.limits.votes.allow(user.id):
        raise FrameRefused(SLOW_DOWN)
    try:
        await check_browser_vote(websocket, poll, user)
        chosen = await poll_commands(websocket).cast_vote(poll, user, choice)
    except VoteRejected as rejected:
        raise FrameRefused(str(rejected)) from None
    publisher = websocket.app.state.publisher
    publisher.tell_status(subscriber, vote_confirmation(chosen), kind="ok")


async def poll_socket(websocket: WebSocket) -> None:
    if not origin_allowed(websocket):
        # Before accept: the client sees HTTP 403.
        await websocket.close(status.WS_1008_POLICY_VIOLATION)
        return
    try:
        poll = await get_poll(websocket.path_params["slug"])
    except PollNotFound:
        await websocket.close(status.WS_1008_POLICY_VIOLATION)
        return
    sockets, address = websocket.app.state.limits.sockets, client_address(websocket)
    if not await sockets.admit(address):
        # Accepted first, so that the close code reaches the browser (a refused handshake
        # is only a 403): 1013 says "try again later", and htmx does, with a backoff.
        await websocket.accept()
        await websocket.close(status.WS_1013_TRY_AGAIN_LATER, "too many sockets from here")
        return
    try:
        await serve_socket(websocket, poll)
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


async def serve_socket(websocket: WebSocket, poll: Poll) -> None:
    await websocket.accept()
    app = websocket.app
    token = csrf_token(websocket, app.state.settings.secret_key)
    surface = ROOM if websocket.query_params.get("view") == ROOM else PAGE
    share_url = urls.share_url(app.state.settings.public_url, poll.slug)
    publisher = app.state.publisher
    subscriber = await publisher.connect(
        websocket,
        poll,
        current_user(websocket),
        token,
        surface,
        share_url,
        expires_at=session_expiry(websocket),
    )
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
                publisher.tell_status(subscriber, "That message was too big to accept.")
                client.close(status.WS_1009_MESSAGE_TOO_BIG, "frame too big")
                break
            try:
                await handle_frame(websocket, subscriber, poll, text)
            except FrameRefused as refused:
                publisher.tell_status(subscriber, str(refused))
                if bad_frames.too_many():
                    client.close(status.WS_1008_POLICY_VIOLATION, "too many bad messages")
                    break
    except WebSocketDisconnect:
        pass
    finally:
        if client.writer is not None and not client.writer.done():
            # Let a queued error and close frame go out before leaving the group.
            client.close(status.WS_1000_NORMAL_CLOSURE)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(client.writer, WRITER_DRAIN_SECONDS)
        await publisher.disconnect(subscriber)


routes = [websocket_route("poll_socket", poll_socket)]
