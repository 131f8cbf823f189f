"""The 403 page of a form vote that a room's roster refused: who may vote, and a way to
sign in with another account."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from crowdsource.domain.membership import SIGN_IN_AGAIN, NotOnRoster
from crowdsource.domain.models import Poll, Room
from crowdsource.web import urls
from crowdsource.web.errors import said
from crowdsource.web.pages import page


def roster_refused_page(
    request: Request, poll: Poll, room: Room | None, refused: NotOnRoster
) -> Response:
    back = urls.path("room", code=room.code) if room else urls.path("poll", slug=poll.slug)
    context = {"message": said(refused), "sign_in_again": SIGN_IN_AGAIN, "back": back}
    return page(request, "roster_refused.html", context, status_code=403)
