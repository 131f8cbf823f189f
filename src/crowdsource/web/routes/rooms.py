"""Rooms over plain HTTP, for everyone: my rooms, the code form, the students' page, the
projector, the QR code; and for the owner the room's name, archive and ballots. The host
console and its actions are in routes/room_host.py."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from crowdsource.domain.class_language import LanguageInvalid
from crowdsource.domain.room_codes import InvalidCode, normalise_code
from crowdsource.domain.room_input import RoomInvalid, clean_room_name
from crowdsource.domain.room_queries import ballots_of_room
from crowdsource.domain.roster import RosterInvalid
from crowdsource.domain.rounds import past_ballots
from crowdsource.i18n.current import Text
from crowdsource.web import urls
from crowdsource.web.class_language_forms import chosen_language, language_set
from crowdsource.web.errors import said
from crowdsource.web.export import room_csv, room_csv_filename
from crowdsource.web.guards import (
    checked_form,
    client_address,
    require_room_owner,
    require_user,
    room_by_code,
    room_commands,
    room_from_path,
    within_limit,
)
from crowdsource.web.qr import qr_svg
from crowdsource.web.room_pages import (
    MISSING_CODE,
    back_to_host,
    host_page,
    join_page,
    room_page,
    room_present_page,
    rooms_page,
)
from crowdsource.web.roster_forms import org_warning, roster_form, roster_spec, typed_roster
from crowdsource.web.urls import route


async def my_rooms(request: Request) -> Response:
    require_user(request)
    return await rooms_page(request)


async def create(request: Request) -> Response:
    owner = require_user(request, urls.path("my_rooms"))
    form = await checked_form(request)
    typed, roster_typed = str(form.get("name", "")), typed_roster(form)
    errors: dict[str, str] = {}
    try:
        name = clean_room_name(typed)
    except RoomInvalid as invalid:
        errors.update(invalid.errors)
    try:
        roster = roster_spec(roster_typed)
    except RosterInvalid as invalid:
        errors.update(invalid.errors)
    if errors:
        shown = roster_form(typed=roster_typed, errors=errors)
        return await rooms_page(request, typed, errors.get("name"), roster=shown)
    within_limit(request.app.state.limits.poll_creations, client_address(request))
    room = await room_commands(request).create(owner, name, roster)
    warning = await org_warning(request.app.state.providers, roster)
    if warning:
        return back_to_host(request, room.code, warning, "error")
    return RedirectResponse(urls.path("room_host", code=room.code), status_code=303)


async def join(request: Request) -> Response:
    """The code form; with `?code=`, straight to the room of that code."""
    if "code" not in request.query_params:
        return join_page(request)
    typed = request.query_params["code"]
    if not typed.strip():
        return join_page(request, typed, MISSING_CODE, status_code=400)
    try:
        normalise_code(typed)
    except InvalidCode as invalid:
        return join_page(request, typed[:32], said(invalid), status_code=400)
    room = await room_by_code(request, typed)  # RoomNotFound: the 404 page with the form
    return RedirectResponse(urls.path("room", code=room.code), status_code=303)


async def show(request: Request) -> Response:
    room = await room_from_path(request)
    if request.path_params["code"] != room.code:  # typed in lower case, or with a dash
        return RedirectResponse(urls.path("room", code=room.code), status_code=308)
    return await room_page(request, room)


async def present(request: Request) -> Response:
    return await room_present_page(request, await room_from_path(request))


async def qr(request: Request) -> Response:
    room = await room_from_path(request)
    return Response(
        qr_svg(urls.room_url(request.app.state.settings.public_url, room.code)),
        media_type="image/svg+xml",
        headers={"Cache-Control": "public, max-age=3600"},
    )


async def settings(request: Request) -> Response:
    """Rename (`name`) or archive / bring back (`archived` = 1 / 0)."""
    room = await room_from_path(request)
    require_room_owner(request, room)
    form = await checked_form(request)
    commands = room_commands(request)
    if "archived" in form:
        archived = form.get("archived") == "1"
        await commands.archive(room, archived)
        message = Text("The room is archived.") if archived else Text("The room is back.")
    else:
        typed = str(form.get("name", ""))
        try:
            name = clean_room_name(typed)
        except RoomInvalid as invalid:
            return await host_page(
                request, room, name_value=typed, name_error=invalid.errors["name"]
            )
        await commands.rename(room, name)
        message = Text("The room is now called “%(name)s”.", name=name)
    return back_to_host(request, room.code, message)


async def language_of_room(request: Request) -> Response:
    """The room's own language: what its projector speaks."""
    room = await room_from_path(request)
    require_room_owner(request, room)
    form = await checked_form(request)
    try:
        code = chosen_language(request, form.get("language"))
    except LanguageInvalid as invalid:
        return back_to_host(request, room.code, invalid.message, kind="error")
    await room_commands(request).set_language(room, code)
    return back_to_host(request, room.code, language_set(code))


async def results_csv(request: Request) -> Response:
    room = await room_from_path(request)
    require_room_owner(request, room)
    filename = room_csv_filename(room.code, room.name)
    ballots = await ballots_of_room(room)
    past = await past_ballots([poll.id for poll, _ in ballots if poll.round > 1])
    return Response(
        room_csv(ballots, past),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )


routes = [
    route("my_rooms", my_rooms),
    route("create_room", create, methods=["POST"]),
    route("join", join),
    route("room", show),
    route("room_present", present),
    route("room_qr", qr),
    route("room_settings", settings, methods=["POST"]),
    route("room_language", language_of_room, methods=["POST"]),
    route("room_results_csv", results_csv),
]
