"""Setting and clearing the `crowdsource_token` cookie; the name of the session cookie; the
guests who signed in on this browser (kept in the session through sign-out)."""

from __future__ import annotations

from starlette.requests import HTTPConnection, Request
from starlette.responses import RedirectResponse, Response

from crowdsource.auth.tokens import COOKIE_NAME, LIFETIME, issue_token
from crowdsource.domain.accounts import is_guest
from crowdsource.domain.models import User

SESSION_COOKIE = "crowdsource_session"


def session_cookie_name(https: bool) -> str:
    """Under https the session cookie is `__Host-crowdsource_session`: browsers then keep it
    only when it is `Secure`, set by this very host for path `/`, so neither a sibling
    subdomain nor a plain-http response can plant a session (and the CSRF seed inside it).
    `crowdsource_token` keeps its name: it is part of the public contract."""
    return f"__Host-{SESSION_COOKIE}" if https else SESSION_COOKIE


BROWSER_GUESTS_KEY = "browser_guests"  # guests who signed in here: kept through sign-out
BROWSER_GUESTS_KEPT = 20


def browser_guests(conn: HTTPConnection) -> list[int]:
    """The guests (user ids) who signed in on this browser lately, even since signed out: a
    guest has no password, so signing out and joining again makes a new person, and the
    poll routes use this list to keep one guest vote per browser and poll."""
    kept = conn.session.get(BROWSER_GUESTS_KEY)
    return [i for i in kept if isinstance(i, int)] if isinstance(kept, list) else []


def sign_in_response(request: Request, user: User, next_path: str) -> Response:
    """303 to `next_path` with a fresh token cookie for `user`; a guest is remembered as one
    of this browser's guests."""
    settings = request.app.state.settings
    if is_guest(user.login):
        guests = [i for i in browser_guests(request) if i != user.id] + [user.id]
        request.session[BROWSER_GUESTS_KEY] = guests[-BROWSER_GUESTS_KEPT:]
    response = RedirectResponse(next_path, status_code=303)
    response.set_cookie(
        COOKIE_NAME,
        issue_token(user, settings.secret_key, settings.public_origin),
        max_age=int(LIFETIME.total_seconds()),
        httponly=True,
        samesite="lax",
        secure=settings.secure_cookies,
        path="/",
    )
    return response


def sign_out_response(request: Request, response: Response) -> Response:
    settings = request.app.state.settings
    response.delete_cookie(
        COOKIE_NAME, httponly=True, samesite="lax", secure=settings.secure_cookies, path="/"
    )
    guests = browser_guests(request)
    request.session.clear()
    if guests:  # the session's other contents go; who has been a guest here stays
        request.session[BROWSER_GUESTS_KEY] = guests
    return response
