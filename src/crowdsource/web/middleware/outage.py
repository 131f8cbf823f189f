"""The database is away: a 503 page that reloads by itself, never a crash page."""

from __future__ import annotations

import logging
from collections.abc import Callable

from starlette import status
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from crowdsource.domain import db
from crowdsource.web.templating import templates

log = logging.getLogger("crowdsource")

RETRY_AFTER_SECONDS = 5


def database_unavailable(request: Request) -> Response:
    """503 while the database is away: nothing was stored; GET pages reload by themselves."""
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS), "Cache-Control": "no-store"}
    if request.url.path.endswith(".json"):
        return JSONResponse({"error": "database unavailable"}, status_code=503, headers=headers)
    reload_after = RETRY_AFTER_SECONDS if request.method in ("GET", "HEAD") else None
    html = templates.get_template("unavailable.html").render(
        request=request, me=None, csrf_token="", reload_after=reload_after
    )
    return HTMLResponse(html, status_code=503, headers=headers)


class DatabaseOutageMiddleware:
    """Turns "the database cannot be reached" into a 503 page (or, on a socket handshake,
    a close the browser retries) instead of a crash page, wherever it happens: in the
    sign-in cookie check or in a route. Nothing to do for recovery: the driver reconnects on
    the next request. Sits inside the security headers, so the page gets them too.
    `seen` is told of each one, with the scope's type (a metric)."""

    def __init__(self, app: ASGIApp, seen: Callable[[str], None] = lambda kind: None) -> None:
        self.app = app
        self.seen = seen

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as error:
            if started or not db.is_outage(error):
                raise
            log.warning("database unavailable for %s: %s", scope["path"], error)
            self.seen(scope["type"])
            if scope["type"] == "websocket":
                # "Try again later": htmx's ws extension reconnects on it.
                await send({"type": "websocket.close", "code": status.WS_1013_TRY_AGAIN_LATER})
            else:
                await database_unavailable(Request(scope))(scope, receive, send)
