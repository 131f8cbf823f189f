"""All routes, assembled in one place."""

from __future__ import annotations

from starlette.routing import BaseRoute, Mount
from starlette.staticfiles import StaticFiles

from crowdsource.web import urls
from crowdsource.web.routes import (
    auth,
    live,
    manage,
    operations,
    pages,
    polls,
    projector,
    room_host,
    room_live,
    room_report,
    room_roster,
    rooms,
)
from crowdsource.web.templating import STATIC_DIR


def all_routes() -> list[BaseRoute]:
    return [
        *pages.routes,
        *auth.routes,
        *polls.routes,
        *manage.routes,
        *live.routes,
        *projector.routes,
        *rooms.routes,
        *room_host.routes,
        *room_live.routes,
        *room_report.routes,
        *room_roster.routes,
        *operations.routes,
        Mount(urls.PATHS["static"], app=StaticFiles(directory=STATIC_DIR), name="static"),
    ]
