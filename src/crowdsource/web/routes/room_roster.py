"""POST /r/{code}/roster: the owner sets who may vote in the room (the host console's
roster card); a bad field shows the console again with the message and changes nothing."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from crowdsource.domain.roster import RosterInvalid
from crowdsource.i18n.current import Text
from crowdsource.web.guards import checked_form, require_room_owner, room_commands, room_from_path
from crowdsource.web.pages import said_now
from crowdsource.web.room_pages import back_to_host, host_page
from crowdsource.web.roster_forms import org_warning, roster_form, roster_spec, typed_roster
from crowdsource.web.urls import route

SAVED = Text("Saved: only the people on the roster vote now.")
REMOVED = Text("No roster: anyone with the code votes.")
UNCHANGED = Text("The roster is unchanged.")


async def set_roster(request: Request) -> Response:
    room = await room_from_path(request)
    require_room_owner(request, room)
    typed = typed_roster(await checked_form(request))
    try:
        spec = roster_spec(typed)
    except RosterInvalid as invalid:
        return await host_page(
            request, room, roster=roster_form(typed=typed, errors=invalid.errors)
        )
    changed = await room_commands(request).set_roster(room, spec)
    message = (SAVED if spec.active else REMOVED) if changed else UNCHANGED
    warning = await org_warning(request.app.state.providers, spec)
    if warning:
        both = f"{said_now(message)} {said_now(warning)}"  # two sentences, each said
        return back_to_host(request, room.code, both, "error")
    return back_to_host(request, room.code, message)


routes = [route("room_roster", set_roster, methods=["POST"])]
