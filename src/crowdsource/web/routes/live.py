"""WS /polls/{slug}/ws: live results out, votes in, on one socket per page (the machinery
every live socket shares is web/live_sockets.py)."""

from __future__ import annotations

from starlette import status
from starlette.websockets import WebSocket

from crowdsource.auth.backend import current_user, session_expiry
from crowdsource.auth.csrf import socket_csrf_token
from crowdsource.domain.class_language import language_of_poll
from crowdsource.domain.models import Poll
from crowdsource.domain.poll_queries import PollNotFound, get_poll
from crowdsource.domain.vote_refusals import VoteRejected
from crowdsource.realtime.fragments import PAGE, ROOM
from crowdsource.realtime.viewers import Subscriber
from crowdsource.web import urls
from crowdsource.web.browser_vote import check_browser_vote
from crowdsource.web.guards import poll_commands
from crowdsource.web.live_sockets import (
    admitted,
    confirm,
    frame_sink,
    receive_frames,
    refused_before_joining,
    vote_refused,
    voter_of,
)
from crowdsource.web.middleware.language import language_of, speak_for_class
from crowdsource.web.poll_forms import ballot_fields
from crowdsource.web.urls import websocket_route


async def handle_frame(websocket: WebSocket, subscriber: Subscriber, poll: Poll, text: str) -> None:
    user, fields = await voter_of(websocket, subscriber, text)
    try:
        await check_browser_vote(websocket, poll, user)
        chosen = await poll_commands(websocket).cast_vote(poll, user, **ballot_fields(fields))
    except VoteRejected as rejected:
        raise vote_refused(subscriber, rejected) from None
    confirm(websocket, subscriber, chosen)


async def poll_socket(websocket: WebSocket) -> None:
    if await refused_before_joining(websocket):
        return
    slug = websocket.path_params["slug"]
    # A poll watched here was read by its last publish: one query fewer per socket.
    poll = websocket.app.state.publisher.snapshots.poll_by_slug(slug)
    if poll is None:
        try:
            poll = await get_poll(slug)
        except PollNotFound:
            await websocket.close(status.WS_1008_POLICY_VIOLATION)
            return
    await admitted(websocket, lambda: serve_socket(websocket, poll))


async def serve_socket(websocket: WebSocket, poll: Poll) -> None:
    await websocket.accept()
    app = websocket.app
    token = socket_csrf_token(websocket, app.state.settings.secret_key)
    surface = ROOM if websocket.query_params.get("view") == ROOM else PAGE
    class_language = await language_of_poll(poll)
    speak_for_class(websocket, class_language, shown_to_class=surface == ROOM)
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
        frames=frame_sink(websocket),
        language=language_of(websocket),
    )
    await receive_frames(
        websocket, subscriber, lambda text: handle_frame(websocket, subscriber, poll, text)
    )


routes = [websocket_route("poll_socket", poll_socket)]
