"""Error pages a person understands; a crash shows an id, the log has the trace."""

from __future__ import annotations

import logging
import secrets

from starlette import status
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from crowdsource.domain import db
from crowdsource.web.guards import SignInRequired
from crowdsource.web.middleware.security_headers import CRASH_PAGE_HEADERS
from crowdsource.web.templating import page, templates
from crowdsource.web.urls import login_url

log = logging.getLogger("crowdsource")

TITLES = {
    400: "That did not work",
    403: "Not allowed",
    404: "Not found",
    405: "Not allowed",
    409: "Too late",
    413: "Too much",
    429: "Slow down",
    503: "Back in a moment",
}
RETRY_AFTER_SECONDS = 5


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    title = TITLES.get(exc.status_code, "Something went wrong")
    detail = exc.detail if exc.detail and exc.detail != title else None
    context = {"title": title, "message": detail, "status": exc.status_code}
    response = page(request, "error.html", context, status_code=exc.status_code)
    if exc.headers:
        response.headers.update(exc.headers)
    return response


async def sign_in_required(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, SignInRequired)
    return RedirectResponse(login_url(exc.next_path), status_code=303)


async def server_error(request: Request, exc: Exception) -> Response:
    """Outside every other middleware: render without session or user."""
    incident = secrets.token_hex(4)
    log.error(
        "unhandled error %s on %s %s", incident, request.method, request.url.path, exc_info=exc
    )
    html = templates.get_template("crash.html").render(incident=incident)
    return HTMLResponse(html, status_code=500, headers=CRASH_PAGE_HEADERS)


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
    the next request. Sits inside the security headers, so the page gets them too."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

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
            if scope["type"] == "websocket":
                # "Try again later": htmx's ws extension reconnects on it.
                await send({"type": "websocket.close", "code": status.WS_1013_TRY_AGAIN_LATER})
            else:
                await database_unavailable(Request(scope))(scope, receive, send)
