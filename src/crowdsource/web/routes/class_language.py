"""The class's language of a poll or a room (domain/class_language.py): the owner picks what
its projector and embed speak, whatever the browser showing them says."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from crowdsource.domain.class_language import LanguageInvalid, checked_language
from crowdsource.i18n.current import _, translated
from crowdsource.i18n.languages import language
from crowdsource.web.guards import (
    checked_form,
    poll_commands,
    require_room_owner,
    room_commands,
    room_from_path,
)
from crowdsource.web.room_pages import back_to_host
from crowdsource.web.routes.manage import back, owner_form, refused
from crowdsource.web.urls import route


def _chosen(request: Request, raw: object) -> str:
    return checked_language(str(raw or ""), request.app.state.settings.languages)


def _said(code: str) -> str:
    if not code:
        return _("Every screen speaks its viewer's language again.")
    return _(
        "The projector and the embed now speak %(language)s. A projector already open "
        "switches when it is reloaded."
    ) % {"language": language(code).name}


async def poll_language(request: Request) -> Response:
    poll, _owner, form = await owner_form(request)
    try:
        code = _chosen(request, form.get("language"))
    except LanguageInvalid as invalid:
        return await refused(request, poll, ValueError(translated(invalid.message)))
    await poll_commands(request).set_language(poll, code)
    return back(request, poll, _said(code))


async def room_language(request: Request) -> Response:
    room = await room_from_path(request)
    require_room_owner(request, room)
    form = await checked_form(request)
    try:
        code = _chosen(request, form.get("language"))
    except LanguageInvalid as invalid:
        return back_to_host(request, room.code, str(translated(invalid.message)), kind="error")
    await room_commands(request).set_language(room, code)
    return back_to_host(request, room.code, _said(code))


routes = [
    route("poll_language", poll_language, methods=["POST"]),
    route("room_language", room_language, methods=["POST"]),
]
