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
import logging

from uvicorn.logging import TRACE_LOG_LEVEL
from uvicorn.protocols.http.flow_control import FlowControl
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
from websockets.http11 import Request

from crowdsource.web.handshake_request import handshake_request
from crowdsource.web.socket_protocol import SOCKETS_LOG, BoundedWebSocketProtocol
from crowdsource.web.transport_addresses import connection_made


class UpgradingHttpProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol, with nothing kept after a WebSocket upgrade, and the
    connection's addresses read from what the event loop kept."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        connection_made(self, transport, "HTTP", "http")
        self.flow = FlowControl(transport)

    def handle_websocket_upgrade(self) -> None:
        request = self._parsed_upgrade()
        if request is None:  # websockets' parser reads what uvicorn writes out again
            super().handle_websocket_upgrade()
        else:  # uvicorn's own, the request handed over as it is (handshake_request.py)
            if self.logger.level <= TRACE_LOG_LEVEL:
                prefix = "{}:{} - ".format(*self.client) if self.client else ""
                self.logger.log(TRACE_LOG_LEVEL, "%sUpgrading to WebSocket", prefix)
            self.connections.discard(self)
            protocol = self.ws_protocol_class(  # type: ignore[call-arg, misc]
                config=self.config, server_state=self.server_state, app_state=self.app_state
            )
            protocol.connection_made(self.transport)
            protocol.handshake_parsed(request)
            self.transport.set_protocol(protocol)
        self.parser = None  # type: ignore[assignment]  # the connection is no longer ours

    def _parsed_upgrade(self) -> Request | None:
        """The upgrade's request as websockets reads it, where that is certain and nothing
        else is to be said of it (its debug lines: the request's every header)."""
        protocol_class = self.ws_protocol_class
        if not (
            isinstance(protocol_class, type)
            and issubclass(protocol_class, BoundedWebSocketProtocol)
            and not SOCKETS_LOG.isEnabledFor(logging.DEBUG)
        ):
            return None
        return handshake_request(self.scope["method"], self.url, self.scope["headers"])
