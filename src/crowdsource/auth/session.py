"""Setting and clearing the `crowdsource_token` cookie; the name of the session cookie."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from crowdsource.auth.tokens import COOKIE_NAME, LIFETIME, issue_token
from crowdsource.domain.models import User

SESSION_COOKIE = "crowdsource_session"


def session_cookie_name(https: bool) -> str:
    """Under https the session cookie is `__Host-crowdsource_session`: browsers then keep it
    only when it is `Secure`, set by this very host for path `/`, so neither a sibling
    subdomain nor a plain-http response can plant a session (and the CSRF seed inside it).
    `crowdsource_token` keeps its name: it is part of the public contract."""
    return f"__Host-{SESSION_COOKIE}" if https else SESSION_COOKIE


def sign_in_response(request: Request, user: User, next_path: str) -> Response:
    """303 to `next_path` with a fresh token cookie for `user`."""
    settings = request.app.state.settings
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
    request.session.clear()
    return response
