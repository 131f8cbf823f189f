"""Error pages a person understands; a crash shows an id, the log has the trace.
The database outage page is web/middleware/outage.py's."""

from __future__ import annotations

import logging
import secrets
from http import HTTPStatus

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from crowdsource.i18n.current import Text
from crowdsource.web.middleware.security_headers import CRASH_PAGE_HEADERS
from crowdsource.web.pages import page
from crowdsource.web.templating import templates
from crowdsource.web.urls import login_url

log = logging.getLogger("crowdsource")

TITLES = {  # the headings of error pages; the message under one says more
    400: Text("That did not work"),
    403: Text("Not allowed"),
    404: Text("Not found"),
    405: Text("Not allowed"),
    # Translators: heading of an error page: a vote that came too late (voting closed)
    409: Text("Too late"),
    # Translators: heading of the error page of a request too large to accept
    413: Text("Too much"),
    429: Text("Slow down"),
    503: Text("Back in a moment"),
}
SOMETHING_WRONG = Text("Something went wrong")


def said(error: BaseException) -> str:
    """The message an exception carries for a person, as it was made: a `Text` stays a `Text`
    (said in the language of the page or socket that shows it), where `str(error)` of a plain
    exception would hand on its English copy."""
    if len(error.args) == 1 and isinstance(error.args[0], str):
        return error.args[0]
    return str(error)


class SignInRequired(Exception):
    """Raised by a route for a signed-out visitor; answered with 303 to /login?next=…"""

    def __init__(self, next_path: str) -> None:
        super().__init__(next_path)
        self.next_path = next_path


def _phrase(status_code: int) -> str:
    try:
        return HTTPStatus(status_code).phrase
    except ValueError:
        return ""


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    title = TITLES.get(exc.status_code, SOMETHING_WRONG)
    # Starlette's own detail ("Not Found", "Method Not Allowed": the status's English phrase)
    # says what the title says, in English only: the page leaves it out.
    detail = exc.detail if exc.detail not in ("", title, _phrase(exc.status_code)) else None
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
        "code_error": Text(
            "No room has the code %(code)s. Check it on the screen.", code=typed[:32]
        ),
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
