"""The host console of a room and what it does: ask a question (now or for later), launch
one, move on, back to waiting; edit, reorder and delete prepared questions. Owner only;
each action is a plain form POST answered with 303 back to the console."""

from __future__ import annotations

from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from crowdsource.domain import clock
from crowdsource.domain.models import Poll, Room, User
from crowdsource.domain.poll_input import PollInvalid
from crowdsource.domain.poll_queries import PollNotFound
from crowdsource.domain.room_input import validate_question
from crowdsource.domain.room_queries import NotInRoom, question_of
from crowdsource.i18n.current import Text, current_language, speaking
from crowdsource.web.guards import (
    checked_form,
    client_address,
    require_room_owner,
    room_commands,
    room_from_path,
    within_limit,
)
from crowdsource.web.poll_forms import question_values, redrawn, spec_arguments
from crowdsource.web.room_pages import back_to_host, draft_values, host_page
from crowdsource.web.urls import route

NOT_HERE = Text("That question is not one of this room's.")
ASKED_ALREADY = Text("That question was asked already: it can no longer be edited.")
ON_SCREEN = Text("It is on every screen now.")
SAVED_FOR_LATER = Text("Saved: it waits in the list, ready.")
WAITING = Text("Every screen is waiting for the next question.")
NONE_LEFT = Text("No prepared question is left: every screen is waiting.")


async def owner_form(request: Request) -> tuple[Room, User, FormData]:
    """The room, its owner and the posted form: 303 to sign in, 403 for others or bad CSRF."""
    room = await room_from_path(request)
    owner = require_room_owner(request, room)
    return room, owner, await checked_form(request)


async def question_named(room: Room, slug: object) -> Poll:
    """One of this room's questions, or 400 (unknown slug, or another room's or poll's)."""
    try:
        return await question_of(room, str(slug or ""))
    except NotInRoom:
        raise HTTPException(400, NOT_HERE) from None


async def host(request: Request) -> Response:
    room = await room_from_path(request)
    require_room_owner(request, room)
    editing = request.query_params.get("edit", "")
    if editing:
        poll = await question_named(room, editing)
        if not poll.draft:
            return back_to_host(request, room.code, ASKED_ALREADY, "error")
        return await host_page(request, room, values=await draft_values(poll), editing=editing)
    return await host_page(request, room)


async def add_question(request: Request) -> Response:
    """Ask now (`launch=1`) or prepare for later; `preset` fills what was left blank."""
    room, owner, form = await owner_form(request)
    values = question_values(form)
    launch = form.get("launch") == "1"
    again = redrawn(form, values)  # the no-JavaScript "Add a response" and "Choose"
    if again is not None:
        return await host_page(request, room, values=again)
    try:
        # A quick ask's words are stored in the room's language when it has one (what its
        # students read), else in the instructor's.
        with speaking(room.language or current_language()):
            question = validate_question(
                **spec_arguments(values),
                preset=str(form.get("preset", "")),
                launch=launch,
                now=clock.now(),
            )
    except PollInvalid as invalid:
        if "preset" in invalid.errors:  # a quick-ask button, not the form: say it up top
            return await host_page(request, room, problem=invalid.errors["preset"])
        return await host_page(request, room, values=values, errors=invalid.errors)
    within_limit(request.app.state.limits.poll_creations, client_address(request))
    await room_commands(request).add_question(room, owner, question, launch=launch)
    message = ON_SCREEN if launch else SAVED_FOR_LATER
    return back_to_host(request, room.code, message)


async def edit_question(request: Request) -> Response:
    room, _, form = await owner_form(request)
    poll = await question_named(room, request.path_params["slug"])
    values = question_values(form)
    again = redrawn(form, values)
    if again is not None:
        return await host_page(request, room, values=again, editing=poll.slug)
    try:
        question = validate_question(**spec_arguments(values), launch=False, now=clock.now())
        await room_commands(request).edit_question(room, poll, question)
    except PollInvalid as invalid:
        return await host_page(
            request, room, values=values, errors=invalid.errors, editing=poll.slug
        )
    except PollNotFound:
        return back_to_host(request, room.code, ASKED_ALREADY, "error")
    return back_to_host(request, room.code, Text("Saved."))


async def set_current(request: Request) -> Response:
    """`poll` = one of the room's questions (launched), or empty for the waiting notice."""
    room, _, form = await owner_form(request)
    slug = str(form.get("poll", "")).strip()
    poll = await question_named(room, slug) if slug else None
    await room_commands(request).launch(room, poll)
    message = ON_SCREEN if poll else WAITING
    return back_to_host(request, room.code, message)


async def next_question(request: Request) -> Response:
    room, _, _ = await owner_form(request)
    following = await room_commands(request).next(room)
    if following is None:
        return back_to_host(request, room.code, NONE_LEFT)
    return back_to_host(request, room.code, ON_SCREEN)


async def move_question(request: Request) -> Response:
    room, _, form = await owner_form(request)
    poll = await question_named(room, request.path_params["slug"])
    step = form.get("step")
    if step not in ("-1", "1"):
        raise HTTPException(400, Text("Move a question one place up or down."))
    await room_commands(request).move_question(room, poll, int(str(step)))
    return back_to_host(request, room.code, Text("Moved."))


async def delete_question(request: Request) -> Response:
    room, _, _ = await owner_form(request)
    poll = await question_named(room, request.path_params["slug"])
    await room_commands(request).delete_question(room, poll)
    deleted = Text("Deleted “%(question)s” and its votes.", question=poll.question)
    return back_to_host(request, room.code, deleted)


routes = [
    route("room_host", host),
    route("room_questions", add_question, methods=["POST"]),
    route("room_question", edit_question, methods=["POST"]),
    route("room_current", set_current, methods=["POST"]),
    route("room_next", next_question, methods=["POST"]),
    route("room_question_move", move_question, methods=["POST"]),
    route("room_question_delete", delete_question, methods=["POST"]),
]
