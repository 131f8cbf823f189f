"""Setting and clearing the `crowdsource_token` cookie."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from crowdsource.auth.tokens import COOKIE_NAME, LIFETIME, issue_token
from crowdsource.domain.models import User


def sign_in_response(request: Request, user: User, next_path: str) -> Response:
    """303 to `next_path` with a fresh token cookie for `user`."""
    settings = request.app.state.settings
    response = RedirectResponse(next_path, status_code=303)
    response.set_cookie(
        COOKIE_NAME,
        issue_token(user, settings.secret_key),
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
