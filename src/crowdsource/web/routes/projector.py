"""Results for the whole room: the projector view, the embeddable widget, the QR code."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from crowdsource.auth.backend import current_user
from crowdsource.domain import clock
from crowdsource.domain.class_language import language_of_poll
from crowdsource.domain.visibility import audience_for
from crowdsource.realtime.fragments import ROOM
from crowdsource.web.guards import poll_from_path
from crowdsource.web.middleware.language import speak_for_class
from crowdsource.web.middleware.security_headers import allow_framing
from crowdsource.web.pages import page, theme_asked
from crowdsource.web.qr import qr_svg
from crowdsource.web.results_render import results_html
from crowdsource.web.urls import route, share_url


async def room_context(request: Request) -> dict[str, object]:
    """What projector and embed show: the room's view, even on the owner's screen."""
    poll = await poll_from_path(request)
    speak_for_class(request, await language_of_poll(poll), shown_to_class=True)
    snapshot = await request.app.state.tallies.snapshot(poll)  # once per change
    audience = audience_for(poll, None, False, clock.now())
    link = share_url(request.app.state.settings.public_url, poll.slug)
    return {
        "poll": poll,
        "tally": snapshot.tally,
        "audience": audience,
        "results_html": results_html(snapshot, audience, ROOM),
        "surface": ROOM,
        "share_url": link,
        "share_text": link.split("://", 1)[-1],
        "theme": theme_asked(request),
    }


async def present(request: Request) -> Response:
    """The room's view, even on the owner's screen; the owner also gets its keys."""
    context = await room_context(request)
    me = current_user(request)
    context["is_owner"] = me is not None and me.id == context["poll"].owner_id  # type: ignore[attr-defined]
    return page(request, "present.html", context)


async def embed(request: Request) -> Response:
    context = await room_context(request)  # a 404 page, not frameable, when there is no poll
    allow_framing(request)
    return page(request, "embed.html", context)


async def qr(request: Request) -> Response:
    poll = await poll_from_path(request)
    return Response(
        qr_svg(share_url(request.app.state.settings.public_url, poll.slug)),
        media_type="image/svg+xml",
        headers={"Cache-Control": "public, max-age=3600"},
    )


routes = [
    route("present", present),
    route("embed", embed),
    route("qr", qr),
]
