"""Where a connection comes from and arrives at, as uvicorn's protocols keep them.

uvicorn asks the kernel for both addresses of every connection twice (once for HTTP, once
again when it becomes a WebSocket), through a socket object it has the event loop make for
the purpose: 18 µs of each socket's join on the bench machine, against 8 µs this way
(`python -m bench.join_cost`). The event loop already knows both: uvloop reads them when
the connection is accepted and answers from what it kept. Where it has no (host, port) to
give (a Unix socket), uvicorn's own way is used."""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.logging import TRACE_LOG_LEVEL
from uvicorn.protocols.utils import get_local_addr, get_remote_addr, is_ssl

Address = tuple[str, int]


def _host_and_port(info: object) -> Address | None:
    """An IPv4 (host, port) or IPv6 (host, port, flowinfo, scope_id) address as uvicorn
    keeps it; None for anything else."""
    if isinstance(info, tuple) and len(info) >= 2:
        return (str(info[0]), int(info[1]))
    return None


def transport_addresses(
    transport: asyncio.BaseTransport,
) -> tuple[tuple[str, int | None] | None, Address | None]:
    """(server, client): what uvicorn's `get_local_addr` and `get_remote_addr` return."""
    server = _host_and_port(transport.get_extra_info("sockname"))
    client = _host_and_port(transport.get_extra_info("peername"))
    if server is None or client is None:
        return get_local_addr(transport), get_remote_addr(transport)  # type: ignore[arg-type]
    return server, client


def connection_made(protocol: Any, transport: asyncio.Transport, kind: str, scheme: str) -> None:
    """What uvicorn's protocols do in their `connection_made`, the addresses read here:
    `kind` is "HTTP" or "WebSocket", `scheme` "http" or "ws" ("https", "wss" over TLS)."""
    protocol.connections.add(protocol)
    protocol.transport = transport
    protocol.server, protocol.client = transport_addresses(transport)
    protocol.scheme = f"{scheme}s" if is_ssl(transport) else scheme
    if protocol.logger.level <= TRACE_LOG_LEVEL:
        prefix = "{}:{} - ".format(*protocol.client) if protocol.client else ""
        protocol.logger.log(TRACE_LOG_LEVEL, "%s%s connection made", prefix, kind)
