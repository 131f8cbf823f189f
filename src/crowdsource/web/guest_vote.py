"""One submit for a signed-out visitor: where guests may join, the vote form's `name` signs a
guest in and stores the vote (DESIGN §2, Forms), then 303 back to the poll with the cookie
set. With or without JavaScript: a signed-out page has no identity on its socket, so its
vote form always posts. What was typed survives a refusal (the page comes back with the pick
and the name), and nobody is made a guest for a vote that cannot count."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from crowdsource.auth.session import sign_in_response
from crowdsource.domain import clock
from crowdsource.domain.accounts import SignInRefused, sign_in_guest
from crowdsource.domain.ballots import read_ballot, vote_confirmation
from crowdsource.domain.confidence import read_confidence
from crowdsource.domain.membership import NotOnRoster, refuse_guest_on_roster
from crowdsource.domain.models import Poll
from crowdsource.domain.room_queries import room_of
from crowdsource.domain.tally import Mine
from crowdsource.domain.visibility import is_open
from crowdsource.domain.vote_refusals import (
    NoQuestionNow,
    NotAskedYet,
    PollClosed,
    QuestionEnded,
    VoteRejected,
)
from crowdsource.web import urls
from crowdsource.web.browser_vote import BrowserVotedAlready, check_browser_vote
from crowdsource.web.errors import SignInRequired, said
from crowdsource.web.guards import MAX_FORM_FIELDS, checked_form, poll_commands, room_commands
from crowdsource.web.guest_limit import TooManyGuests, admit_guest
from crowdsource.web.pages import FLASH_KEY, poll_page, said_now
from crowdsource.web.poll_forms import ballot_fields
from crowdsource.web.room_pages import room_page
from crowdsource.web.roster_refusal import roster_refused_page

NAME_KEPT = 200  # characters of a refused name shown again (the limit is said, not applied)


# Answered 409: too late (closed, or a room that moved on), or this browser's second vote.
TOO_LATE = (PollClosed, QuestionEnded, NoQuestionNow, NotAskedYet, BrowserVotedAlready)


def refusal_status(refused: Exception) -> int:
    """A vote that did not count: too many (429), too late or this browser's second (409),
    or a bad choice (400)."""
    if isinstance(refused, TooManyGuests):
        return 429
    return 409 if isinstance(refused, TOO_LATE) else 400


async def guest_vote(request: Request, poll: Poll) -> Response:
    """The vote of a signed-out visitor: without a `name` (or with guests off) the way to
    sign in (303 to /login?next=…), as for any signed-out form vote."""
    poll_path = urls.path("poll", slug=poll.slug)
    raw = await request.form(max_files=0, max_fields=MAX_FORM_FIELDS)
    if not request.app.state.settings.guest_sign_in or "name" not in raw:
        raise SignInRequired(poll_path)
    form = await checked_form(request)
    # From a room's page: the question the student saw must still be the room's current one.
    room = await room_of(poll) if "poll" in form else None
    back = urls.path("room", code=room.code) if room else poll_path
    kept: dict[str, object] = {"guest_name": str(form.get("name", ""))[:NAME_KEPT]}
    try:
        ballot = ballot_fields(form)
        given = read_ballot(poll.kind, ballot["choice"], ballot["answer"])
        read_confidence(ballot["confidence"])  # refused before anyone is signed in
        kept["picked"] = Mine(frozenset(given.picks), given.answer)
        if room is not None and room.current_id != poll.id:  # type: ignore[attr-defined]
            raise QuestionEnded()
        if not is_open(poll, clock.now()):
            raise PollClosed()
        await check_browser_vote(request, poll, None)
        await refuse_guest_on_roster(poll)  # before a guest account is made for nothing
        name = await admit_guest(request, form.get("name"), back)
    except NotOnRoster as refused:
        return roster_refused_page(request, poll, room, refused)
    except (SignInRefused, VoteRejected, TooManyGuests) as refused:
        status = 400 if isinstance(refused, SignInRefused) else refusal_status(refused)
        if room is not None:
            return await room_page(request, room, status, message=said(refused))
        if isinstance(refused, SignInRefused):
            kept["guest_error"] = said(refused)
        return await poll_page(request, poll, status, message=said(refused), guest_form=kept)
    user = await sign_in_guest(name, urls.initials_avatar)
    try:
        if room is not None:
            _, chosen = await room_commands(request).cast_vote(room, poll.slug, user, **ballot)
        else:
            chosen = await poll_commands(request).cast_vote(poll, user, **ballot)
    except NotOnRoster as refused:  # a roster set meanwhile
        return roster_refused_page(request, poll, room, refused)
    except VoteRejected as rejected:  # closed or deleted meanwhile: they are in, the vote is not
        request.session[FLASH_KEY] = {"message": said_now(said(rejected)), "kind": "error"}
    else:
        request.session[FLASH_KEY] = {"message": said_now(vote_confirmation(chosen)), "kind": "ok"}
    return sign_in_response(request, user, back)
