"""The HTTP protocol `crowdsource serve` runs: uvicorn's httptools protocol, which lets go
of its parser once it has handed a connection over to the WebSocket protocol.

The parser holds the protocol's callbacks and the protocol holds the parser: uvicorn breaks
that cycle when a connection is lost, but an upgraded connection's loss is the WebSocket
protocol's to hear, so every socket left the old HTTP protocol (its transport, its request
headers) for the garbage collector to find. Dropped at the upgrade, it is freed at once by
reference counting (docs/performance.md, "Garbage collection").

It reads the connection's addresses from what the event loop kept (transport_addresses.py)."""

from __future__ import annotations

import asyncio

from uvicorn.protocols.http.flow_control import FlowControl
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from crowdsource.web.transport_addresses import connection_made


class UpgradingHttpProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol, with nothing kept after a WebSocket upgrade, and the
    connection's addresses read from what the event loop kept."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        connection_made(self, transport, "HTTP", "http")
        self.flow = FlowControl(transport)

    def handle_websocket_upgrade(self) -> None:
        super().handle_websocket_upgrade()
        self.parser = None  # type: ignore[assignment]  # the connection is no longer ours
