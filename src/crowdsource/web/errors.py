"""Error pages a person understands; a crash shows an id, the log has the trace.
The database outage page is web/middleware/outage.py's."""

from __future__ import annotations

import logging
import secrets

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from crowdsource.web.middleware.security_headers import CRASH_PAGE_HEADERS
from crowdsource.web.pages import page
from crowdsource.web.templating import templates
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


class SignInRequired(Exception):
    """Raised by a route for a signed-out visitor; answered with 303 to /login?next=…"""

    def __init__(self, next_path: str) -> None:
        super().__init__(next_path)
        self.next_path = next_path


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


async def unknown_room(request: Request, exc: Exception) -> Response:
    """A code that leads to no room: 404, and the code form to try again."""
    typed = str(exc.args[0]) if exc.args else ""
    context = {
        "code": typed[:32],
        "code_error": f"No room has the code {typed[:32]}. Check it on the screen.",
    }
    return page(request, "join.html", context, status_code=404)


async def server_error(request: Request, exc: Exception) -> Response:
    """Outside every other middleware: render without session or user."""
    incident = secrets.token_hex(4)
    log.error(
        "unhandled error %s on %s %s", incident, request.method, request.url.path, exc_info=exc
    )
    html = templates.get_template("crash.html").render(incident=incident)
    return HTMLResponse(html, status_code=500, headers=CRASH_PAGE_HEADERS)
