"""`crowdsource serve`'s protocols leave no reference cycle behind a closed socket: its
HTTP protocol is freed at the upgrade, its WebSocket protocol once the app is done and the
connection is lost, by reference counting alone (docs/performance.md, "Garbage
collection"). The collector is off in each test, so a cycle keeps its object alive."""

from __future__ import annotations

import asyncio
import weakref
from typing import Any

import pytest
from uvicorn.config import Config
from uvicorn.server import ServerState

from crowdsource.web.http_protocol import UpgradingHttpProtocol
from crowdsource.web.socket_protocol import FRAMES_EXTENSION, BoundedWebSocketProtocol
from tests.helpers.socket_protocol import HANDSHAKE, Opened, UpgradingTransport

pytestmark = pytest.mark.usefixtures("quiet_uvicorn", "collector_off")


async def app(scope: Any, receive: Any, send: Any) -> None:
    await receive()
    await send({"type": "websocket.close", "code": 1000})


async def test_the_http_protocol_is_freed_when_it_hands_a_socket_over() -> None:
    config = Config(app, http=UpgradingHttpProtocol, ws=BoundedWebSocketProtocol, lifespan="off")
    config.load()
    state = ServerState()
    protocol = UpgradingHttpProtocol(config, state, {})
    transport = UpgradingTransport()
    protocol.connection_made(transport)
    protocol.data_received(HANDSHAKE + b"\r\n")
    assert isinstance(transport.protocol, BoundedWebSocketProtocol)  # handed over
    http = weakref.ref(protocol)
    del protocol
    assert http() is None
    await asyncio.gather(*state.tasks)  # the socket's app, done
    transport.protocol.connection_lost(None)


async def test_the_socket_protocol_is_freed_when_its_app_is_done_and_it_is_lost() -> None:
    opened = Opened(deflate=False)
    await opened.handshake()
    assert opened.scope["extensions"][FRAMES_EXTENSION] is opened.protocol
    tasks = set(opened.protocol.tasks)
    opened.release.set()
    await asyncio.gather(*tasks)
    opened.protocol.connection_lost(None)
    socket = weakref.ref(opened.protocol)
    opened.protocol = None  # type: ignore[assignment]  # the test's own reference
    assert socket() is None
