"""WS /r/{code}/ws: a room's screens (students' page, projector, host console) follow its
current question on one socket each: full state on connect, that question's live results,
one message replacing `#stage` when the instructor moves on, and votes for the current
question from the students' page."""

from __future__ import annotations

from starlette import status
from starlette.websockets import WebSocket

from crowdsource.auth.backend import current_user, session_expiry
from crowdsource.auth.csrf import socket_csrf_token
from crowdsource.domain.models import Room
from crowdsource.domain.room_queries import RoomNotFound
from crowdsource.domain.vote_refusals import VoteRejected
from crowdsource.realtime.fragments import PAGE, ROOM
from crowdsource.realtime.viewers import Subscriber
from crowdsource.web.browser_vote import check_browser_vote
from crowdsource.web.guards import client_address, room_commands
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

HOST_VIEW = "host"  # ?view=host: the owner's console (anyone else gets the students' view)


async def handle_room_frame(
    websocket: WebSocket, subscriber: Subscriber, room: Room, text: str
) -> None:
    """A vote for the room's current question; `poll` (when sent) names the question the
    voter saw, and one that is no longer current is refused. The question this socket shows
    (the publisher's last read) saves the vote a read of the room."""
    user, fields = await voter_of(websocket, subscriber, text)
    seen = fields.get("poll")
    shown = websocket.app.state.publisher.snapshot_of(subscriber.viewer.poll_id)
    try:
        if shown is not None:  # a guest of this browser voted already: as on a poll's page
            await check_browser_vote(websocket, shown.poll, user)
        _, chosen = await room_commands(websocket).cast_vote(
            room,
            seen if isinstance(seen, str) else None,
            user,
            **ballot_fields(fields),
            showing=shown.poll if shown is not None else None,
        )
    except VoteRejected as rejected:
        raise vote_refused(subscriber, rejected) from None
    confirm(websocket, subscriber, chosen)


async def room_socket(websocket: WebSocket) -> None:
    if await refused_before_joining(websocket):
        return
    wrong_codes, address = websocket.app.state.limits.wrong_codes, client_address(websocket)
    if wrong_codes.exhausted(address):  # guessing codes over sockets is guessing too
        await websocket.close(status.WS_1008_POLICY_VIOLATION)
        return
    try:
        room = await websocket.app.state.publisher.rooms.room_to_join(websocket.path_params["code"])
    except RoomNotFound:
        wrong_codes.allow(address)
        await websocket.close(status.WS_1008_POLICY_VIOLATION)
        return
    await admitted(websocket, lambda: serve_room(websocket, room))


async def serve_room(websocket: WebSocket, room: Room) -> None:
    await websocket.accept()
    app = websocket.app
    view = websocket.query_params.get("view")
    speak_for_class(websocket, room.language, shown_to_class=view == ROOM)
    user = current_user(websocket)
    subscriber = await app.state.publisher.rooms.connect(
        websocket,
        room,
        user,
        socket_csrf_token(websocket, app.state.settings.secret_key),
        ROOM if view == ROOM else PAGE,
        host=view == HOST_VIEW and user is not None and user.id == room.owner_id,  # type: ignore[attr-defined]
        expires_at=session_expiry(websocket),
        frames=frame_sink(websocket),
        language=language_of(websocket),
    )
    await receive_frames(
        websocket, subscriber, lambda text: handle_room_frame(websocket, subscriber, room, text)
    )


routes = [websocket_route("room_socket", room_socket)]
