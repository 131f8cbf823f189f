"""A poll's `#results` as pages render it: once per state of the poll (its snapshot, kept by
tally_cache.py until the poll changes), surface, audience, language and time zone, then the
same markup for every request. It is the bulk of the voters' page, a room's pages, the
projector and the embed (a large poll's 120 avatars), and nothing of one request is in it:
no user, no token, no owner's keys. The page around it is rendered per request."""

from __future__ import annotations

from markupsafe import Markup

from crowdsource.domain.visibility import Audience
from crowdsource.i18n.current import current_zone
from crowdsource.realtime.snapshot import Snapshot
from crowdsource.web.templating import render_fragment


def results_html(snapshot: Snapshot, audience: Audience, surface: str) -> Markup:
    """`partials/results.html` for this audience on this surface (`PAGE` or `ROOM`)."""
    # Safe: the output of an autoescaped template, to be placed as it is into the page.
    return Markup(  # noqa: S704
        snapshot.cached(
            ("results", surface, audience.variant, current_zone()),
            lambda: render_fragment(
                "partials/results.html", tally=snapshot.tally, audience=audience, surface=surface
            ),
        )
    )
