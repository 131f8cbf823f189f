"""`crowdsource serve`'s WebSocket protocol without a server: a transport that keeps what is
written to it, and a protocol opened on it by a handshake, its app waiting until the test
releases it. Tests that open one ask for the `quiet_uvicorn` fixture (tests/web/conftest.py)."""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.config import Config
from uvicorn.server import ServerState

from crowdsource.web.socket_protocol import BoundedWebSocketProtocol

HANDSHAKE = (
    b"GET /polls/x/ws HTTP/1.1\r\nHost: testserver\r\nUpgrade: websocket\r\n"
    b"Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
    b"Sec-WebSocket-Version: 13\r\n"
)


class Transport(asyncio.Transport):
    """Keeps what the protocol writes, and whether it closed the connection."""

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


class UpgradingTransport(Transport):
    """A transport that takes the protocol an upgrade hands it."""

    def __init__(self) -> None:
        super().__init__()
        self.protocol: asyncio.BaseProtocol | None = None

    def set_protocol(self, protocol: asyncio.BaseProtocol) -> None:
        self.protocol = protocol


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
