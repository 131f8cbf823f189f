"""`crowdsource serve`'s WebSocket protocol as a FrameSink: the app finds it in the scope
when frames can be shared byte for byte (no permessage-deflate), and it says when its write
buffer is full, when it drains, and when the connection is gone."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
from uvicorn.config import Config
from uvicorn.server import ServerState

from crowdsource.realtime.frames import text_frame
from crowdsource.web.socket_protocol import FRAMES_EXTENSION, BoundedWebSocketProtocol

HANDSHAKE = (
    b"GET /polls/x/ws HTTP/1.1\r\nHost: testserver\r\nUpgrade: websocket\r\n"
    b"Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
    b"Sec-WebSocket-Version: 13\r\n"
)
DEFLATE = b"Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n"


class Transport(asyncio.Transport):
    def __init__(self) -> None:
        super().__init__()
        self.written = bytearray()
        self.closing = False

    def write(self, data: Any) -> None:
        self.written += data

    def is_closing(self) -> bool:
        return self.closing

    def close(self) -> None:
        self.closing = True

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return {"peername": ("127.0.0.1", 50000), "sockname": ("127.0.0.1", 8000)}.get(name)

    def pause_reading(self) -> None:
        pass

    def resume_reading(self) -> None:
        pass


class Opened:
    """One protocol after its handshake, and what the app saw in its scope."""

    def __init__(self, *, deflate: bool) -> None:
        self.scope: dict[str, Any] = {}
        self.release = asyncio.Event()
        config = Config(self.app, ws=BoundedWebSocketProtocol, lifespan="off", interface="asgi3")
        config.ws_per_message_deflate = deflate
        config.load()
        self.protocol = BoundedWebSocketProtocol(config, ServerState(), {})
        self.transport = Transport()
        self.protocol.connection_made(self.transport)

    async def app(self, scope: Any, receive: Any, send: Any) -> None:
        self.scope = scope
        await receive()
        await send({"type": "websocket.accept"})
        await self.release.wait()

    async def handshake(self, extra: bytes = b"") -> None:
        self.protocol.data_received(HANDSHAKE + extra + b"\r\n")
        for _ in range(100):
            if self.protocol.handshake_complete:
                return
            await asyncio.sleep(0)
        raise AssertionError("no handshake")


@pytest.fixture
def quiet_uvicorn(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    with caplog.at_level("WARNING", logger="uvicorn.error"):
        yield


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
