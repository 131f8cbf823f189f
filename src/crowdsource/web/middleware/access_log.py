"""One access-log line per request or socket, with the time taken and the final status.

21:04:05 GET /polls/Xk3vR9aQ 200 3.1ms
21:04:05 WS /polls/Xk3vR9aQ/ws open
21:04:09 WS /polls/Xk3vR9aQ/ws closed 1001 after 4.2s
21:04:12 GET /auth/github/callback?code=[redacted]&state=[redacted] 302 80.4ms

Query values that grant something (OAuth codes and states, tokens, passwords) never reach the
log: the parameter's name stays, its value is replaced.
"""

from __future__ import annotations

import logging
import time
from urllib.parse import unquote_plus

from starlette.status import (
    WS_1000_NORMAL_CLOSURE,
    WS_1005_NO_STATUS_RCVD,
    WS_1006_ABNORMAL_CLOSURE,
)
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from crowdsource.web.urls import is_path_of

ACCESS = logging.getLogger("crowdsource.access")
MAX_TARGET = 200  # characters of a path and query in a line
REDACTED = "[redacted]"
# Query parameters whose value is a secret: the OAuth/OIDC callback's, and what a client may
# put in a link by mistake. Any name containing "token", "secret" or "password" counts too.
SECRET_PARAMS = frozenset({"code", "state", "session_state", "passwd", "key", "api_key", "sig"})
SECRET_PARTS = ("token", "secret", "password")


def _printable(text: str) -> str:
    """A request target as one safe line (no control characters from the wire)."""
    if text.isprintable():
        return text
    return "".join(char if char.isprintable() else f"\\x{ord(char):02x}" for char in text)


def is_secret_param(name: str) -> bool:
    """Whether a query parameter (its name as it came, percent-encoded) carries a secret."""
    decoded = unquote_plus(name).strip().lower()
    return decoded in SECRET_PARAMS or any(part in decoded for part in SECRET_PARTS)


def redacted_query(query: str) -> str:
    """The query string as it came, with the value of every secret parameter replaced."""
    pairs = []
    for pair in query.split("&"):
        name, equals, _ = pair.partition("=")
        pairs.append(f"{name}={REDACTED}" if equals and is_secret_param(name) else pair)
    return "&".join(pairs)


def request_target(scope: Scope) -> str:
    """The path as it came in (still percent-encoded), with its query string, secrets
    redacted."""
    raw = scope.get("raw_path")
    path = raw.decode("latin-1") if raw else scope["path"]
    query = scope.get("query_string", b"")
    target = f"{path}?{redacted_query(query.decode('latin-1'))}" if query else path
    if len(target) > MAX_TARGET:
        target = target[:MAX_TARGET] + "…"
    return _printable(target)


class AccessLog:
    """ASGI middleware writing one INFO line per request to `crowdsource.access`, and two per
    WebSocket (open, closed with its code and duration) or one when it is refused. Costs
    nothing when that logger is quieter than INFO. A successful scrape of /metrics (every
    15 s or so, all day) is a DEBUG line; a refused one stays at INFO."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and ACCESS.isEnabledFor(logging.INFO):
            await self._http(scope, receive, send)
        elif scope["type"] == "websocket" and ACCESS.isEnabledFor(logging.INFO):
            await self._websocket(scope, receive, send)
        else:
            await self.app(scope, receive, send)

    async def _http(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = time.perf_counter()
        status = 500  # what the client gets when the app fails before answering

        async def send_logged(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_logged)
        finally:
            elapsed = (time.perf_counter() - started) * 1000
            scrape = status == 200 and is_path_of("metrics", scope["path"])
            level = logging.DEBUG if scrape else logging.INFO
            target = request_target(scope)
            ACCESS.log(level, "%s %s %d %.1fms", scope["method"], target, status, elapsed)

    async def _websocket(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = time.perf_counter()
        target = request_target(scope)
        accepted = False
        refused = 403  # uvicorn answers a close before accept with 403
        code: int | None = None

        async def send_logged(message: Message) -> None:
            nonlocal accepted, refused, code
            kind = message["type"]
            if kind == "websocket.accept":
                accepted = True
                ACCESS.info("WS %s open", target)
            elif kind == "websocket.close" and code is None:  # the first close says why
                code = message.get("code", WS_1000_NORMAL_CLOSURE)
            elif kind == "websocket.http.response.start":
                refused = message["status"]
            await send(message)

        async def receive_logged() -> Message:
            nonlocal code
            message = await receive()
            if message["type"] == "websocket.disconnect" and code is None:
                code = message.get("code", WS_1005_NO_STATUS_RCVD)
            return message

        try:
            await self.app(scope, receive_logged, send_logged)
        finally:
            if accepted:
                seconds = time.perf_counter() - started
                ACCESS.info(
                    "WS %s closed %s after %.1fs", target, code or WS_1006_ABNORMAL_CLOSURE, seconds
                )
            else:
                ACCESS.info("WS %s %d", target, refused)
