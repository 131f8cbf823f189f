"""`crowdsource serve`'s WebSocket protocol as a FrameSink: the app finds it in the scope
when frames can be shared byte for byte (no permessage-deflate), and it says when its write
buffer is full, when it drains, and when the connection is gone."""

from __future__ import annotations

import pytest

from crowdsource.realtime.frames import text_frame
from crowdsource.web.socket_protocol import FRAMES_EXTENSION
from tests.helpers.socket_protocol import Opened

DEFLATE = b"Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n"


@pytest.mark.usefixtures("quiet_uvicorn")
async def test_the_app_gets_the_protocol_and_frames_go_straight_to_the_transport() -> None:
    opened = Opened(deflate=False)
    await opened.handshake()
    protocol = opened.protocol
    assert opened.scope["extensions"][FRAMES_EXTENSION] is protocol
    assert protocol.frames_ready() and protocol.frames_open()
    before = len(opened.transport.written)
    frame = text_frame(b"<p id='x'></p>")
    protocol.write_frame(frame)
    assert bytes(opened.transport.written[before:]) == frame
    opened.release.set()


@pytest.mark.usefixtures("quiet_uvicorn")
async def test_a_full_buffer_waits_for_its_drain_and_a_lost_connection_says_so() -> None:
    opened = Opened(deflate=False)
    await opened.handshake()
    protocol, calls = opened.protocol, []
    protocol.pause_writing()
    assert not protocol.frames_ready() and protocol.frames_open()
    protocol.when_frames_ready(lambda: calls.append("drained"))
    protocol.resume_writing()
    assert calls == ["drained"] and protocol.frames_ready()
    protocol.resume_writing()  # once only
    assert calls == ["drained"]
    protocol.pause_writing()
    protocol.when_frames_ready(lambda: calls.append("lost"))
    protocol.connection_lost(None)
    assert calls == ["drained", "lost"]
    assert not protocol.frames_open() and not protocol.frames_ready()
    opened.release.set()


@pytest.mark.usefixtures("quiet_uvicorn")
async def test_a_socket_that_deflates_keeps_the_asgi_path() -> None:
    opened = Opened(deflate=True)
    await opened.handshake(DEFLATE)
    assert opened.protocol.conn.extensions  # negotiated
    assert FRAMES_EXTENSION not in opened.scope["extensions"]
    opened.release.set()


@pytest.mark.usefixtures("quiet_uvicorn")
async def test_without_an_offer_a_deflating_server_still_shares_frames() -> None:
    opened = Opened(deflate=True)
    await opened.handshake()
    assert opened.scope["extensions"][FRAMES_EXTENSION] is opened.protocol
    opened.release.set()
