"""Poll pages and actions over plain HTTP: create, list, show, vote, export.
The owner's lifecycle controls (close, reopen, …) are in routes/manage.py."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from crowdsource.auth.backend import current_user
from crowdsource.domain import clock
from crowdsource.domain.ballots import vote_confirmation
from crowdsource.domain.membership import NotOnRoster
from crowdsource.domain.poll_input import PollInvalid, validate_poll
from crowdsource.domain.poll_queries import polls_owned_by
from crowdsource.domain.room_queries import room_of
from crowdsource.domain.rounds import past_ballots
from crowdsource.domain.tally import Mine
from crowdsource.domain.tally_reads import tally_of
from crowdsource.domain.visibility import is_open
from crowdsource.domain.vote_refusals import VoteRejected
from crowdsource.web import urls
from crowdsource.web.browser_vote import check_browser_vote
from crowdsource.web.errors import said
from crowdsource.web.export import csv_filename, votes_csv
from crowdsource.web.guards import (
    checked_form,
    client_address,
    poll_commands,
    poll_from_path,
    require_owner,
    require_user,
    room_commands,
)
from crowdsource.web.guest_vote import guest_vote, refusal_status
from crowdsource.web.pages import (
    FLASH_KEY,
    new_poll_form,
    page,
    poll_page,
    said_now,
    viewer_audience,
)
from crowdsource.web.poll_forms import (
    ballot_fields,
    picks_sent,
    question_values,
    redrawn,
    spec_arguments,
)
from crowdsource.web.ratelimit import SLOW_DOWN, wait_to_create
from crowdsource.web.results_document import results_document
from crowdsource.web.room_pages import room_page
from crowdsource.web.roster_refusal import roster_refused_page
from crowdsource.web.rounds_document import rounds_document
from crowdsource.web.secret_export import participation_csv
from crowdsource.web.urls import route

POLL_STATES = ("open", "closed")  # the filters of "My polls"


async def create(request: Request) -> Response:
    owner = require_user(request, urls.path("home"))
    form = await checked_form(request)
    values = question_values(form)
    again = redrawn(form, values)  # the no-JavaScript "Add a response" and "Choose"
    if again is not None:
        return await new_poll_form(request, again)
    try:
        spec = validate_poll(**spec_arguments(values), now=clock.now())
    except PollInvalid as invalid:
        return await new_poll_form(request, values, invalid.errors)
    creations, address = request.app.state.limits.poll_creations, client_address(request)
    if not creations.allow(address):  # the form again, as typed, saying how long to wait
        wait = creations.retry_after(address)
        problem = {"form": wait_to_create(wait)}
        response = await new_poll_form(request, values, problem, status_code=429)
        response.headers["Retry-After"] = str(wait)
        return response
    poll = await poll_commands(request).create(owner, spec)
    return RedirectResponse(urls.path("poll", slug=poll.slug), status_code=303)


async def my_polls(request: Request) -> Response:
    """Every poll of this person, newest first; `?state=open` or `closed` shows only those."""
    user = require_user(request)
    mine = await polls_owned_by(user)
    now = clock.now()
    state = request.query_params.get("state", "")
    open_count = sum(is_open(summary.poll, now) for summary in mine)
    shown = [
        summary
        for summary in mine
        if state not in POLL_STATES or is_open(summary.poll, now) == (state == "open")
    ]
    context = {
        "polls": shown,
        "now": now,
        "state": state if state in POLL_STATES else "",
        "counts": {"": len(mine), "open": open_count, "closed": len(mine) - open_count},
        "status": request.session.pop(FLASH_KEY, None),
    }
    return page(request, "my_polls.html", context)


async def show(request: Request) -> Response:
    return await poll_page(request, await poll_from_path(request))


async def vote(request: Request) -> Response:
    poll = await poll_from_path(request)
    if current_user(request) is None:
        return await guest_vote(request, poll)  # one submit: sign in as a guest and vote
    voter = require_user(request, urls.path("poll", slug=poll.slug))
    form = await checked_form(request)
    # From a room's page: the question the voter saw, checked against the room's current one.
    room = await room_of(poll) if "poll" in form else None
    if not request.app.state.limits.votes.allow(voter.id):
        return await poll_page(request, poll, status_code=429, message=SLOW_DOWN)
    try:
        await check_browser_vote(request, poll, voter)
        if room is not None:
            seen, ballot = str(form.get("poll")), ballot_fields(form)
            _, chosen = await room_commands(request).cast_vote(room, seen, voter, **ballot)
        else:
            chosen = await poll_commands(request).cast_vote(poll, voter, **ballot_fields(form))
    except NotOnRoster as refused:
        return roster_refused_page(request, poll, room, refused)
    except VoteRejected as rejected:
        status = refusal_status(rejected)
        if room is not None:
            return await room_page(request, room, status_code=status, message=said(rejected))
        kept = {"picked": picks_sent(form)}  # a set that broke the rule stays ticked
        if "answer" in form:  # a refused open answer stays typed
            kept = {"picked": Mine(answer=str(form["answer"]))}
        return await poll_page(
            request, poll, status_code=status, message=said(rejected), guest_form=kept
        )
    request.session[FLASH_KEY] = {"message": said_now(vote_confirmation(chosen)), "kind": "ok"}
    back = urls.path("room", code=room.code) if room else urls.path("poll", slug=poll.slug)
    return RedirectResponse(back, status_code=303)


async def results_json(request: Request) -> Response:
    poll = await poll_from_path(request)
    tally = await request.app.state.tallies.tally(poll)  # read once per change (tally_cache.py)
    audience, _ = await viewer_audience(request, poll, tally)
    document = results_document(tally, audience) | rounds_document(tally, audience)
    return JSONResponse(document, headers={"Cache-Control": "no-store"})


async def results_csv(request: Request) -> Response:
    poll = await poll_from_path(request)
    require_owner(request, poll)
    tally = await tally_of(poll, times=True)  # the sheet says when each vote was cast
    if tally.participants is not None:  # `nobody`: who took part, never what they chose
        body = await participation_csv(tally.participants)
    else:
        body = votes_csv(tally, await past_ballots([poll.id]) if tally.peer.round > 1 else ())
    return Response(
        body,
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{csv_filename(tally)}"',
            "Cache-Control": "no-store",
        },
    )


routes = [
    route("create_poll", create, methods=["POST"]),
    route("my_polls", my_polls),
    route("poll", show),
    route("vote", vote, methods=["POST"]),
    route("results_json", results_json),
    route("results_csv", results_csv),
]
