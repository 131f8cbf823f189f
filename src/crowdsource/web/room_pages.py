"""The pages of a room: the students' page, the projector, the host console, my rooms and
the code form. Route modules import their pages from here (or pages.py), never from each
other."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from crowdsource.auth.backend import current_user
from crowdsource.domain import clock
from crowdsource.domain.kind_input import KIND_FIELDS, kind_of
from crowdsource.domain.membership import SIGN_IN_AGAIN
from crowdsource.domain.models import Choice, Poll, Room
from crowdsource.domain.presets import PRESETS
from crowdsource.domain.room_queries import (
    current_question,
    room_questions,
    rooms_owned_by,
    vote_counts,
)
from crowdsource.domain.roster_store import roster_of
from crowdsource.domain.visibility import audience_for, owner_audience
from crowdsource.i18n.current import Text
from crowdsource.realtime.fragments import PAGE, ROOM
from crowdsource.realtime.stages import view_of
from crowdsource.web.middleware.language import speak_for_class
from crowdsource.web.pages import (
    FLASH_KEY,
    OWNER_FLASH_KEY,
    choice_fields,
    page,
    said_now,
    theme_asked,
    viewer_audience,
)
from crowdsource.web.results_render import results_html
from crowdsource.web.roster_forms import roster_form
from crowdsource.web.urls import absolute, path, room_url

MISSING_CODE = Text("Type the code shown on the screen.")


async def _stage_context(request: Request, room: Room, *, for_room: bool) -> dict[str, Any]:
    """The current question as this visitor (or, `for_room`, the projector) may see it."""
    poll = await current_question(room)
    if poll is None:
        return {"tally": None, "audience": None, "my_choice": None}
    snapshot = await request.app.state.tallies.snapshot(poll)  # read once per change
    tally = snapshot.tally
    if for_room:
        audience = audience_for(poll, None, False, clock.now())
        return {
            "tally": tally,
            "audience": audience,
            "results_html": results_html(snapshot, audience, ROOM),
        }
    audience, my_choice = await viewer_audience(request, poll, tally)
    return {
        "tally": tally,
        "audience": audience,
        "results_html": results_html(snapshot, audience, PAGE),
        "my_choice": my_choice,
    }


def _join_links(request: Request, room: Room) -> dict[str, str]:
    link = room_url(request.app.state.settings.public_url, room.code)
    join_page = absolute(request.app.state.settings.public_url, "join")
    return {
        "join_url": link,
        "join_text": link.split("://", 1)[-1],
        "join_page_text": join_page.split("://", 1)[-1],
    }


async def room_page(
    request: Request, room: Room, status_code: int = 200, message: str | None = None
) -> Response:
    """The students' page: the current question (or the waiting notice), live."""
    speak_for_class(request, room.language, shown_to_class=False)
    me = current_user(request)
    flash = request.session.pop(FLASH_KEY, None)
    context = {
        "room": view_of(room),
        **await _stage_context(request, room, for_room=False),
        "room_code": room.code,
        "is_owner": me is not None and me.id == room.owner_id,  # type: ignore[attr-defined]
        "roster": await roster_of(room),
        "sign_in_again": SIGN_IN_AGAIN,
        "status": {"message": message, "kind": "error"} if message else flash,
    }
    return page(request, "room.html", context, status_code=status_code)


async def room_present_page(request: Request, room: Room) -> Response:
    speak_for_class(request, room.language, shown_to_class=True)
    context = {
        "room": view_of(room),
        **await _stage_context(request, room, for_room=True),
        **_join_links(request, room),
        "surface": ROOM,
        "theme": theme_asked(request),
    }
    return page(request, "room_present.html", context)


async def draft_values(poll: Poll) -> dict[str, Any]:
    """A prepared question as its edit form shows it."""
    labels = await Choice.filter(poll_id=poll.id).order_by("position", "id")
    minutes = poll.duration_seconds // 60 if poll.duration_seconds else ""
    spec = kind_of(poll, [(choice.label, choice.correct) for choice in labels])
    return {
        "question": poll.question,
        "choices": [choice.label for choice in labels] if spec.kind.has_choices else [],
        "closes_in": str(minutes),
        "results_visibility": poll.results_visibility,
        "show_voters": poll.show_voters,
        "correct": [str(place + 1) for place in spec.correct],
        **{name: _typed(getattr(spec, name)) for name in KIND_FIELDS},
    }


def _typed(setting: object) -> str:
    """A kind's setting as its form field shows it (nothing for a limit left unset)."""
    return "" if setting is None else str(setting)


async def host_page(
    request: Request,
    room: Room,
    *,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    editing: str = "",
    name_value: str | None = None,
    name_error: str | None = None,
    problem: str | None = None,
    roster: dict[str, Any] | None = None,
    status_code: int = 200,
) -> Response:
    """The console: what every screen shows now, quick ask, the question form, the list.
    `problem`: why an action was refused, in the console's status line. `roster`: the
    roster card as typed, after a refusal (else the stored roster)."""
    current = await current_question(room)
    values = values or {}
    questions = await room_questions(room)
    context = {
        "room": view_of(room, questions, await vote_counts(questions)),
        "tally": await request.app.state.tallies.tally(current) if current else None,
        "roster_status": await request.app.state.publisher.roster.status(current)
        if current
        else None,
        "audience": owner_audience(current.show_voters if current else ""),
        "presets": list(PRESETS.values()),
        **_join_links(request, room),
        "values": values,
        "errors": errors or {},
        "choice_fields": choice_fields(values.get("choices", []), extra=values.get("extra", 0)),
        "editing": editing,
        "roster_form": roster or roster_form(await roster_of(room)),
        "name_value": room.name if name_value is None else name_value,
        "name_error": name_error,
        "owner_status": {"message": problem, "kind": "error"}
        if problem
        else request.session.pop(OWNER_FLASH_KEY, None),
    }
    if errors or name_error or problem or (roster and roster["errors"]):
        status_code = 400
    return page(request, "room_host.html", context, status_code=status_code)


async def rooms_page(
    request: Request,
    name_value: str = "",
    name_error: str | None = None,
    roster: dict[str, Any] | None = None,
) -> Response:
    me = current_user(request)
    assert me is not None
    context = {
        "rooms": await rooms_owned_by(me),
        "name_value": name_value,
        "name_error": name_error,
        "roster_form": roster or roster_form(),
    }
    refused = name_error or (roster and roster["errors"])
    return page(request, "rooms.html", context, status_code=400 if refused else 200)


def join_page(
    request: Request, code: str = "", code_error: str | None = None, status_code: int = 200
) -> Response:
    context = {"code": code, "code_error": code_error}
    return page(request, "join.html", context, status_code=status_code)


def back_to_host(request: Request, code: str, message: str, kind: str = "ok") -> Response:
    """303 to the host console, which then shows `message` (a `Text`, or said already)."""
    request.session[OWNER_FLASH_KEY] = {"message": said_now(message), "kind": kind}
    return RedirectResponse(path("room_host", code=code), status_code=303)
