"""Signing in and out: the login page, guest sign-in, logout. Providers plug in here."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from crowdsource.accounts import SignInRefused, sign_in_guest
from crowdsource.auth.session import sign_in_response, sign_out_response
from crowdsource.routes.common import checked_form, safe_next
from crowdsource.views import page


async def login(request: Request) -> Response:
    next_path = safe_next(request.query_params.get("next"))
    return page(request, "login.html", {"next": next_path, "name": "", "error": None})


async def login_guest(request: Request) -> Response:
    settings = request.app.state.settings
    if not settings.guest_sign_in:
        raise HTTPException(404, "Guest sign-in is turned off here.")
    form = await checked_form(request)
    next_path = safe_next(form.get("next"))
    try:
        user = await sign_in_guest(form.get("name"))
    except SignInRefused as refused:
        context = {
            "next": next_path,
            "name": str(form.get("name", ""))[:200],
            "error": str(refused),
        }
        return page(request, "login.html", context, status_code=400)
    return sign_in_response(request, user, next_path)


async def logout(request: Request) -> Response:
    await checked_form(request)
    return sign_out_response(request, RedirectResponse("/", status_code=303))


routes = [
    Route("/login", login, methods=["GET"], name="login"),
    Route("/login/guest", login_guest, methods=["POST"], name="login_guest"),
    Route("/logout", logout, methods=["POST"], name="logout"),
]
