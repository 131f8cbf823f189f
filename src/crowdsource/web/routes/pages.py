"""The home page, generated initials avatars and the health check."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from tortoise import connections

from crowdsource.domain.models import User
from crowdsource.web.avatars import initials_svg
from crowdsource.web.pages import new_poll_form
from crowdsource.web.urls import route


async def home(request: Request) -> Response:
    return await new_poll_form(request)


async def initials_avatar(request: Request) -> Response:
    """A guest's picture, and the stand-in for a provider's avatar that fails to load."""
    login = request.path_params["login"]
    user = await User.get_or_none(login=login)
    svg = initials_svg(login, user.name if user else "?")
    return Response(
        svg,
        media_type="image/svg+xml",
        headers={
            "Cache-Control": "public, max-age=86400",
            "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
        },
    )


async def healthz(request: Request) -> Response:
    try:
        await connections.get("default").execute_query("SELECT 1")
    except Exception:  # any failure of the database means "not healthy"
        return PlainTextResponse("database unavailable", status_code=503)
    return PlainTextResponse("ok")


routes = [
    route("home", home),
    route("initials_avatar", initials_avatar),
    route("healthz", healthz),
]
