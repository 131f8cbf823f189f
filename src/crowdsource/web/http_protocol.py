"""The HTTP protocol `crowdsource serve` runs: uvicorn's httptools protocol, which lets go
of its parser once it has handed a connection over to the WebSocket protocol.

The parser holds the protocol's callbacks and the protocol holds the parser: uvicorn breaks
that cycle when a connection is lost, but an upgraded connection's loss is the WebSocket
protocol's to hear, so every socket left the old HTTP protocol (its transport, its request
headers) for the garbage collector to find. Dropped at the upgrade, it is freed at once by
reference counting (docs/performance.md, "Garbage collection")."""

from __future__ import annotations

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol


class UpgradingHttpProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol, with nothing kept after a WebSocket upgrade."""

    def handle_websocket_upgrade(self) -> None:
        super().handle_websocket_upgrade()
        self.parser = None  # type: ignore[assignment]  # the connection is no longer ours
