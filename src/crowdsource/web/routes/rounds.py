"""Vote again (peer instruction): the owner ends this round of a question and opens the next,
from the poll page's owner panel or the room's host console (which sends `next`). A plain
form POST, CSRF-checked, owner only, answered with 303 back; every open page follows live."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from crowdsource.domain import clock
from crowdsource.domain.poll_input import parse_closes_at
from crowdsource.web.guards import poll_commands, still_there
from crowdsource.web.routes.manage import back, owner_form, refused
from crowdsource.web.urls import route


async def start_round(request: Request) -> Response:
    """`closes_at` (optional, local time with `timezone`, or ISO with an offset): when the
    new round closes by itself. Refused, with nothing changed, on a question without votes
    in this round, an open question, or a past end time."""
    poll, _, form = await owner_form(request)
    now = clock.now()
    raw = str(form.get("closes_at", "")).strip()
    try:
        closes_at = parse_closes_at(raw, str(form.get("timezone", "")), now) if raw else None
        with still_there():
            number = await poll_commands(request).start_round(poll, closes_at, now=now)
    except ValueError as problem:
        return await refused(request, poll, problem)
    message = f"Round {number} is open: everyone votes again."
    return back(request, poll, message)


routes = [route("start_round", start_round, methods=["POST"])]
