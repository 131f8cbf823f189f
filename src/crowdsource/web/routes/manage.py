"""The owner's controls of a poll's lifecycle: close, reopen, extend, reveal, duplicate, delete.

Each is a plain form POST (CSRF-checked, owner only) answered with 303 back to the poll. The
command it calls re-arms the close timer and announces the change, so every open page follows."""

from __future__ import annotations

from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from crowdsource.domain import clock
from crowdsource.domain.class_language import LanguageInvalid
from crowdsource.domain.kinds import MAX_ID, Kind
from crowdsource.domain.models import Poll, User
from crowdsource.domain.poll_input import PollInvalid, parse_closes_at, parse_minutes
from crowdsource.domain.poll_queries import has_votes, open_polls_owned_by
from crowdsource.domain.tally_reads import tally_of
from crowdsource.domain.visibility import ResultsVisibility, ShowVoters
from crowdsource.i18n.current import Text, ngettext
from crowdsource.web import urls
from crowdsource.web.class_language_forms import chosen_language, language_set
from crowdsource.web.errors import said
from crowdsource.web.guards import (
    checked_form,
    poll_commands,
    poll_from_path,
    require_owner,
    require_user,
    still_there,
)
from crowdsource.web.pages import FLASH_KEY, OWNER_FLASH_KEY, page, poll_page, said_now
from crowdsource.web.urls import route


async def owner_form(request: Request) -> tuple[Poll, User, FormData]:
    """The poll, its owner and the posted form: 303 to sign in, 403 for others or bad CSRF."""
    poll = await poll_from_path(request)
    owner = require_owner(request, poll, urls.path("poll", slug=poll.slug))
    form = await checked_form(request)
    # A room's host console posts these too, with the way back to itself.
    request.state.back_to = urls.safe_next(form.get("next"), default="")
    return poll, owner, form


def back(request: Request, poll: Poll, message: str, **extra: str | None) -> Response:
    """303 to the poll's owner panel (or the host console it came from), which then shows
    `message` (a `Text`, said in this request's language as it is kept)."""
    request.session[OWNER_FLASH_KEY] = {"message": said_now(message), "kind": "ok", **extra}
    back_to = getattr(request.state, "back_to", "")
    target = back_to or urls.path("poll", slug=poll.slug) + "#owner-panel"
    return RedirectResponse(target, status_code=303)


async def refused(request: Request, poll: Poll, problem: ValueError) -> Response:
    """Bad input: the poll page again, status 400, the message in the owner panel."""
    if isinstance(problem, PollInvalid):  # one line of several: each said before joining
        message = " ".join(said_now(error) for error in problem.errors.values())
    else:
        message = said(problem)
    return await poll_page(request, poll, status_code=400, owner_message=message)


async def close(request: Request) -> Response:
    poll, _, _ = await owner_form(request)
    if not await poll_commands(request).close(poll):
        return back(request, poll, Text("Voting was already closed."))
    return back(request, poll, Text("Voting is closed. Results stay."))


async def reopen(request: Request) -> Response:
    poll, _, form = await owner_form(request)
    now = clock.now()
    raw = str(form.get("closes_at", "")).strip()
    try:
        closes_at = parse_closes_at(raw, str(form.get("timezone", "")), now) if raw else None
        with still_there():
            await poll_commands(request).reopen(poll, closes_at, now=now)
    except ValueError as problem:
        return await refused(request, poll, problem)
    if closes_at is None:
        return back(request, poll, Text("Voting is open again until you close it."))
    # Translators: the page adds the date and time (in the reader's format) and a full stop
    until = Text("Voting is open again until")
    return back(request, poll, until, time=clock.iso_utc(closes_at))


async def start_round(request: Request) -> Response:
    """Vote again (peer instruction): this round ends, the next opens on every screen.
    `closes_at` (optional) as for reopen. Refused, with nothing changed, on a question
    without votes in this round, an open question, or a past end time."""
    poll, _, form = await owner_form(request)
    now = clock.now()
    raw = str(form.get("closes_at", "")).strip()
    try:
        closes_at = parse_closes_at(raw, str(form.get("timezone", "")), now) if raw else None
        with still_there():
            number = await poll_commands(request).start_round(poll, closes_at, now=now)
    except ValueError as problem:
        return await refused(request, poll, problem)
    opened = Text("Round %(number)s is open: everyone votes again.", number=number)
    return back(request, poll, opened)


async def extend(request: Request) -> Response:
    poll, _, form = await owner_form(request)
    try:
        minutes = parse_minutes(form.get("minutes"))
        with still_there():
            new_end = await poll_commands(request).extend(poll, minutes)
    except ValueError as problem:
        return await refused(request, poll, problem)
    # Translators: the page adds the date and time (in the reader's format) and a full stop
    closes_at = Text("Voting now closes at")
    return back(request, poll, closes_at, time=clock.iso_utc(new_end))


async def visibility(request: Request) -> Response:
    poll, _, form = await owner_form(request)
    results = str(form.get("results_visibility", poll.results_visibility))
    voters = str(form.get("show_voters", poll.show_voters))
    try:
        with still_there():
            await poll_commands(request).set_visibility(poll, results, voters)
    except PollInvalid as problem:
        return await refused(request, poll, problem)
    # Translators: `when` is a phrase such as "to everyone, live"; `whom` one such as
    # "only me" (the settings' phrases, translated too)
    message = Text(
        "Results are shown %(when)s. Who voted what is shown to %(whom)s.",
        when=ResultsVisibility(results).phrase,
        whom=ShowVoters(voters).phrase,
    )
    return back(request, poll, message)


async def language_of_poll(request: Request) -> Response:
    """The poll's own language: what its projector and embed speak."""
    poll, _owner, form = await owner_form(request)
    try:
        code = chosen_language(request, form.get("language"))
    except LanguageInvalid as invalid:
        return await refused(request, poll, invalid)
    await poll_commands(request).set_language(poll, code)
    return back(request, poll, language_set(code))


async def reveal(request: Request) -> Response:
    """A quiz's correct responses, shown on every screen from now on."""
    poll, _, _ = await owner_form(request)
    if await poll_commands(request).reveal(poll):
        return back(request, poll, Text("The answer is shown on every screen."))
    if not (await tally_of(poll)).is_quiz:
        no_quiz = ValueError(Text("This poll is no quiz: none of its responses is marked correct."))
        return await refused(request, poll, no_quiz)
    return back(request, poll, Text("The answer was already shown on every screen."))


async def duplicate(request: Request) -> Response:
    poll, owner, _ = await owner_form(request)
    with still_there():
        copy = await poll_commands(request).duplicate(poll, owner)
    return back(request, copy, Text("This is a fresh copy with a new link and no votes."))


async def confirm_delete(request: Request, error: str | None = None) -> Response:
    poll = await poll_from_path(request)
    require_owner(request, poll, urls.path("confirm_delete_poll", slug=poll.slug))
    tally = await tally_of(poll)
    context = {"poll": poll, "tally": tally, "error": error}
    return page(request, "poll_delete.html", context, status_code=400 if error else 200)


async def delete(request: Request) -> Response:
    """One step for a poll without votes (nothing to lose); with votes, only once the owner
    ticked the confirmation."""
    poll, _, form = await owner_form(request)
    if form.get("confirm") != "yes" and await has_votes(poll):
        return await confirm_delete(request, Text("Tick the box to confirm that the poll goes."))
    await poll_commands(request).delete(poll)
    deleted = Text("Deleted “%(question)s”.", question=poll.question)
    request.session[FLASH_KEY] = {"message": said_now(deleted), "kind": "ok"}
    return RedirectResponse(urls.path("my_polls"), status_code=303)


async def hide_answer(request: Request) -> Response:
    """One open answer off every screen, live; back to where the owner pressed Hide."""
    poll, _, _ = await owner_form(request)
    raw = request.path_params["id"]
    if poll.kind != Kind.TEXT or not raw.isascii() or not raw.isdigit() or int(raw) > MAX_ID:
        raise HTTPException(404, Text("There is no such answer to this question."))
    with still_there():
        if not await poll_commands(request).hide_answer(poll, int(raw)):
            message = Text("That answer was already hidden, or is not one of this question's.")
            return back(request, poll, message, kind="error")
    return back(request, poll, Text("The answer is hidden from every screen."))


async def close_open(request: Request) -> Response:
    """ "Close all open" from My polls: every poll of this person still open, closed now."""
    owner = require_user(request, urls.path("my_polls"))
    await checked_form(request)
    commands = poll_commands(request)
    closed = [poll for poll in await open_polls_owned_by(owner) if await commands.close(poll)]
    message = ngettext("Closed %(num)d poll.", "Closed %(num)d polls.", len(closed))
    request.session[FLASH_KEY] = {"message": message % {"num": len(closed)}, "kind": "ok"}
    return RedirectResponse(urls.path("my_polls"), status_code=303)


routes = [
    route("close_open_polls", close_open, methods=["POST"]),
    route("close_poll", close, methods=["POST"]),
    route("reopen_poll", reopen, methods=["POST"]),
    route("extend_poll", extend, methods=["POST"]),
    route("start_round", start_round, methods=["POST"]),
    route("poll_visibility", visibility, methods=["POST"]),
    route("poll_language", language_of_poll, methods=["POST"]),
    route("reveal_poll", reveal, methods=["POST"]),
    route("duplicate_poll", duplicate, methods=["POST"]),
    route("confirm_delete_poll", confirm_delete),
    route("delete_poll", delete, methods=["POST"]),
    route("hide_answer", hide_answer, methods=["POST"]),
]
