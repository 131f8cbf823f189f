"""Refuse oversized requests before any route reads them: long query strings, big bodies.

The refusals are said with `_()` when they are sent: in the request's language once the
language middleware has run (a body found too large while the app reads it), in the default
language before (this middleware sits outside it)."""

from __future__ import annotations

from collections.abc import Awaitable

from starlette import status
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from crowdsource.i18n.current import _

MAX_QUERY_BYTES = 2048
MAX_BODY_BYTES = 64 * 1024  # a poll with 12 long responses is about 3 KiB


class RequestTooLarge(Exception):
    pass


class RequestLimitsMiddleware:
    def __init__(
        self, app: ASGIApp, *, max_query: int = MAX_QUERY_BYTES, max_body: int = MAX_BODY_BYTES
    ) -> None:
        self.app = app
        self.max_query = max_query
        self.max_body = max_body

    def __call__(self, scope: Scope, receive: Receive, send: Send) -> Awaitable[None]:
        # A socket is checked here and then handed the app's own awaitable: no frame of this
        # class stays alive for the socket's life (web/middleware/__init__.py).
        if scope["type"] not in ("http", "websocket"):
            return self.app(scope, receive, send)
        if len(scope.get("query_string", b"")) > self.max_query:
            if scope["type"] == "http":
                return PlainTextResponse(_("That address is too long."), 414)(scope, receive, send)
            return send({"type": "websocket.close", "code": status.WS_1008_POLICY_VIOLATION})
        if scope["type"] == "websocket":
            return self.app(scope, receive, send)
        return self._http(scope, receive, send)

    async def _http(self, scope: Scope, receive: Receive, send: Send) -> None:
        declared = dict(scope["headers"]).get(b"content-length", b"0")
        if not declared.isdigit() or int(declared) > self.max_body:
            await PlainTextResponse(_("That request is too large."), 413)(scope, receive, send)
            return
        received = 0
        response_started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body:
                    raise RequestTooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal response_started
            response_started = response_started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except RequestTooLarge:
            if not response_started:
                await PlainTextResponse(_("That request is too large."), 413)(scope, receive, send)
