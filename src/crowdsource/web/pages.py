"""The pages routes answer with: the common frame of every page, the poll page, the new-poll
form. Route modules import their pages from here, never from each other."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from crowdsource.auth.backend import current_user
from crowdsource.auth.csrf import csrf_token
from crowdsource.domain import clock
from crowdsource.domain.class_language import language_of_poll
from crowdsource.domain.models import Poll
from crowdsource.domain.poll_input import MAX_CHOICES
from crowdsource.domain.tally import ChoiceTally, Tally
from crowdsource.domain.visibility import COUNTS, Audience, ResultsVisibility, audience_for
from crowdsource.i18n.current import translated
from crowdsource.realtime.fragments import PAGE
from crowdsource.web.middleware.language import speak_for_class
from crowdsource.web.results_render import results_html
from crowdsource.web.templating import templates
from crowdsource.web.urls import share_url

FLASH_KEY = "flash"  # the session's one-time status line, shown by the next page
OWNER_FLASH_KEY = "owner_flash"  # the owner panel's own status line
MIN_CHOICE_FIELDS = 4
THEMES = ("light", "dark")  # a projector's or embed's ?theme=


def theme_asked(request: Request) -> str:
    """The projector's or embed's `?theme=`, when it is one of THEMES (else none)."""
    theme = request.query_params.get("theme", "")
    return theme if theme in THEMES else ""


def said_now(message: str) -> str:
    """`message` in this request's language, as a plain `str`: what a session keeps for the
    next page (a `Text` kept as it is would come back as its English copy)."""
    return str(translated(message))


PREVIEW_FIRST_ID = 1001  # the preview's rows (#choice-N) keep clear of the form's #choice-N


def page(
    request: Request, name: str, context: dict[str, Any] | None = None, status_code: int = 200
) -> HTMLResponse:
    """A full page, with what every page needs: the user, a CSRF token, the settings."""
    settings = request.app.state.settings
    full = {
        "me": current_user(request),
        "csrf_token": csrf_token(request, settings.secret_key),
        "settings": settings,
        **(context or {}),
    }
    return templates.TemplateResponse(request, name, full, status_code=status_code)


def choice_fields(entered: list[str], extra: int = 1) -> list[str]:
    """The response inputs to show: what was typed, then room for more."""
    wanted = min(MAX_CHOICES, max(MIN_CHOICE_FIELDS, len(entered) + extra))
    return entered + [""] * (wanted - len(entered))


def projector_preview(public_url: str) -> dict[str, Any]:
    """The projector's screen for a poll still being written: every response row there may be
    (the create form's script fills and shows them), no votes, the site's link."""
    rows = range(PREVIEW_FIRST_ID, PREVIEW_FIRST_ID + MAX_CHOICES)
    tally = Tally(
        poll_id=0,
        slug="",
        question="",
        is_open=True,
        closes_at=None,
        results_visibility=ResultsVisibility.ALWAYS,
        choices=tuple(ChoiceTally(row, "", 0, ()) for row in rows),
    )
    link = share_url(public_url, "…").split("://", 1)[-1]
    return {"tally": tally, "audience": COUNTS, "share_text": link}


async def new_poll_form(
    request: Request,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 400,
) -> Response:
    """The home page: the create form (with what was typed and its problems, `status_code`)
    when signed in, the ways to sign in otherwise. `errors["form"]` is about the whole form."""
    values = values or {}
    context = {
        "values": values,
        "errors": errors or {},
        "choice_fields": choice_fields(values.get("choices", []), extra=values.get("extra", 0)),
        "preview_screen": projector_preview(request.app.state.settings.public_url),
    }
    return page(request, "home.html", context, status_code=status_code if errors else 200)


async def viewer_audience(
    request: Request, poll: Poll, tally: Tally
) -> tuple[Audience, int | None]:
    """What this visitor may see of the results, and the response they chose."""
    user = current_user(request)
    my_choice = tally.choice_of(user.id) if user else None
    audience = audience_for(poll, user.id if user else None, my_choice is not None, clock.now())
    return audience, my_choice


async def poll_page(
    request: Request,
    poll: Poll,
    status_code: int = 200,
    message: str | None = None,
    owner_message: str | None = None,
    guest_form: dict[str, Any] | None = None,
) -> Response:
    """The poll as this visitor may see it; `message` is an error for the voter,
    `owner_message` one for the owner panel (otherwise the flashes set before a redirect);
    `guest_form` what a refused guest vote kept (`picked`, `guest_name`, `guest_error`)."""
    speak_for_class(request, await language_of_poll(poll), shown_to_class=False)
    snapshot = await request.app.state.tallies.snapshot(poll)  # read once per change
    tally = snapshot.tally
    audience, my_choice = await viewer_audience(request, poll, tally)
    flash = request.session.pop(FLASH_KEY, None)
    is_owner = (me := current_user(request)) is not None and me.id == poll.owner_id  # type: ignore[attr-defined]
    context = {
        **(guest_form or {}),
        "poll": poll,
        "tally": tally,
        "audience": audience,
        "results_html": results_html(snapshot, audience, PAGE),
        "my_choice": my_choice,
        "is_owner": is_owner,
        "owner_links": is_owner,  # a voter's page: no "My polls" in the header
        "roster_status": await request.app.state.publisher.roster.status(poll)
        if is_owner
        else None,
        "share_url": share_url(request.app.state.settings.public_url, poll.slug),
        "status": {"message": message, "kind": "error"} if message else flash,
        "owner_status": {"message": owner_message, "kind": "error"}
        if owner_message
        else request.session.pop(OWNER_FLASH_KEY, None),
    }
    return page(request, "poll.html", context, status_code=status_code)
