"""The proxy headers (`X-Forwarded-For`, `X-Forwarded-Proto`), applied by the app itself so
it still knows who its immediate peer was.

uvicorn's own ProxyHeadersMiddleware (same code, reused) replaces the peer's address with the
forwarded client's, after which nobody can tell whether the request came through a trusted
proxy. Applied here, the middleware first records whether the peer is one of
FORWARDED_ALLOW_IPS (`peer_trusted`), so CLIENT_IP_HEADER is believed only from those
proxies. `crowdsource serve` runs uvicorn with `proxy_headers=False` for that reason."""

from __future__ import annotations

from collections.abc import Awaitable, Coroutine
from typing import Any

from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Receive, Scope, Send
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

PEER_TRUSTED = "crowdsource.peer_trusted"  # the scope key


def peer_trusted(conn: HTTPConnection) -> bool:
    """Whether the connection's immediate peer is a proxy of FORWARDED_ALLOW_IPS."""
    return bool(conn.scope.get(PEER_TRUSTED, False))


async def _applied(scope: Scope, receive: Receive, send: Send) -> None:
    """The app uvicorn's middleware calls once it has rewritten the scope: nothing more."""


def run_now(step: Coroutine[Any, Any, None]) -> None:
    """Run a coroutine that never waits to its end, here and now."""
    try:
        step.send(None)
    except StopIteration:
        return
    step.close()
    raise RuntimeError("the proxy headers step waited")


class ForwardedMiddleware:
    """Record whether the peer is trusted, then apply its forwarded headers if it is.

    uvicorn's middleware only rewrites the scope: it runs to its end here, on a no-op app,
    and the request or socket then gets the app's own awaitable. No frame of this class (or
    of uvicorn's) stays alive for a socket's whole life (web/middleware/__init__.py)."""

    def __init__(self, app: ASGIApp, *, trusted_hosts: str) -> None:
        self.app = app
        self.proxy_headers = ProxyHeadersMiddleware(_applied, trusted_hosts)

    def __call__(self, scope: Scope, receive: Receive, send: Send) -> Awaitable[None]:
        if scope["type"] in ("http", "websocket"):
            peer = scope["client"][0] if scope.get("client") else None
            trusted = scope[PEER_TRUSTED] = peer in self.proxy_headers.trusted_hosts
            if trusted:  # from any other peer, uvicorn's middleware changes nothing
                run_now(self.proxy_headers(scope, receive, send))  # type: ignore[arg-type]
        return self.app(scope, receive, send)
