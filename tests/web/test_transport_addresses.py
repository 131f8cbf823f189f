"""web/transport_addresses.py: the addresses `crowdsource serve`'s protocols keep are the
ones uvicorn's own functions find, over IPv4 and IPv6, on uvloop (what `serve` runs) and on
asyncio's own loop, and uvicorn's way answers where the loop has no (host, port)."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest
import uvloop
from uvicorn.config import Config
from uvicorn.logging import TRACE_LOG_LEVEL
from uvicorn.protocols.utils import get_local_addr, get_remote_addr
from uvicorn.server import ServerState

from crowdsource.web.http_protocol import UpgradingHttpProtocol
from crowdsource.web.socket_protocol import BoundedWebSocketProtocol
from crowdsource.web.transport_addresses import transport_addresses
from tests.helpers.socket_protocol import Transport


async def addresses_seen(host: str) -> list[tuple[Any, Any]]:
    """Both ways' (server, client) of one accepted connection to `host`."""
    seen: list[tuple[Any, Any]] = []

    class Recording(asyncio.Protocol):
        def connection_made(self, transport: asyncio.BaseTransport) -> None:
            uvicorns = (get_local_addr(transport), get_remote_addr(transport))  # type: ignore[arg-type]
            seen.append((transport_addresses(transport), uvicorns))
            transport.close()

    server = await asyncio.get_running_loop().create_server(Recording, host, 0)
    port = server.sockets[0].getsockname()[1]
    _, writer = await asyncio.open_connection(host, port)
    for _ in range(100):
        if seen:
            break
        await asyncio.sleep(0.01)
    writer.close()
    server.close()
    return seen


@pytest.mark.parametrize("host", ["127.0.0.1", "::1"])
@pytest.mark.parametrize("loop", ["uvloop", "asyncio"])
def test_the_addresses_are_uvicorns(host: str, loop: str) -> None:
    run = uvloop.run if loop == "uvloop" else asyncio.run
    [(ours, uvicorns)] = run(addresses_seen(host))
    assert ours == uvicorns
    assert ours[0][0] == ours[1][0] == host and ours[0][1] != ours[1][1]


class UnixTransport(Transport):
    """A Unix socket's transport: its addresses are paths, not (host, port)."""

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return {"sockname": "/run/crowdsource.sock", "peername": ""}.get(name, default)


def test_without_a_host_and_port_uvicorns_way_answers() -> None:
    transport = UnixTransport()
    assert transport_addresses(transport) == (get_local_addr(transport), get_remote_addr(transport))
    assert transport_addresses(transport)[0] == ("/run/crowdsource.sock", None)


@pytest.mark.parametrize(
    ("protocol_class", "scheme", "said"),
    [(UpgradingHttpProtocol, "http", "HTTP"), (BoundedWebSocketProtocol, "ws", "WebSocket")],
)
async def test_both_protocols_keep_the_connection_as_uvicorn_does(
    protocol_class: Any, scheme: str, said: str, caplog: pytest.LogCaptureFixture
) -> None:
    app = lambda scope, receive, send: None  # noqa: E731
    config = Config(app, lifespan="off", interface="asgi3", log_config=None)
    config.load()
    state = ServerState()
    protocol = protocol_class(config, state, {})
    transport = Transport()
    with caplog.at_level(TRACE_LOG_LEVEL, logger="uvicorn.error"):
        protocol.connection_made(transport)
    assert protocol.transport is transport and protocol in state.connections
    assert (protocol.server, protocol.client) == (("127.0.0.1", 8000), ("127.0.0.1", 50000))
    assert protocol.scheme == scheme
    said_lines = [r.getMessage() for r in caplog.records if r.levelno == TRACE_LOG_LEVEL]
    assert said_lines == [f"127.0.0.1:50000 - {said} connection made"]
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="uvicorn.error"):
        protocol_class(config, state, {}).connection_made(Transport())
    assert not caplog.records  # nothing said above trace
