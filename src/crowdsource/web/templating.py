"""The one Jinja2 environment: pages and pushed fragments render from the same templates."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2
from starlette.requests import Request
from starlette.templating import Jinja2Templates

from crowdsource.domain import clock
from crowdsource.domain.accounts import is_guest
from crowdsource.domain.avatar_budget import more_voters, shown_voters
from crowdsource.domain.confidence import CONFIDENCE_QUESTION, Confidence
from crowdsource.domain.kinds import Kind
from crowdsource.domain.visibility import ResultsVisibility, ShowVoters, is_open
from crowdsource.i18n import formats
from crowdsource.i18n.current import current_language, gettext, ngettext, translated
from crowdsource.i18n.languages import Language, language
from crowdsource.web import jinja_gettext, urls
from crowdsource.web.element_ids import member_element_id
from crowdsource.web.jinja_environment import Environment
from crowdsource.web.limits import LIMITS
from crowdsource.web.middleware.language import offered_languages
from crowdsource.web.page_text import page_text

PACKAGE_DIR = Path(__file__).resolve().parent.parent  # the `crowdsource` package


def _resource_dir(name: str) -> Path:
    """`templates/` and `static/` sit at the repository root in a checkout and inside the
    package in an installed wheel."""
    checkout = PACKAGE_DIR.parent.parent / name
    return checkout if checkout.is_dir() else PACKAGE_DIR / name


TEMPLATES_DIR = _resource_dir("templates")
STATIC_DIR = _resource_dir("static")


def language_of_render() -> Language:
    """The language being rendered: `<html lang dir>`, the switcher's current entry."""
    return language(current_language())


def language_choices(request: Request) -> list[tuple[Language, str, bool]]:
    """The switcher's entries: each offered language, this page in it, whether it is current."""
    current = current_language()
    return [
        (
            language(code),
            urls.in_language(request.url.path, request.url.query, code),
            code == current,
        )
        for code in offered_languages(request)
    ]


def _environment() -> jinja2.Environment:
    env = Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        # Templates ship with the code: a change needs a restart, like the Python. Checking
        # each included partial's file on every render was a stat call per include.
        auto_reload=False,
        # Every template stays compiled (a plain dict, not a 400-entry LRU list that each
        # `{% include %}` reordered): there are fewer than a hundred of them.
        cache_size=-1,
        autoescape=jinja2.select_autoescape(default=True, default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
        finalize=translated,  # a domain `Text` in `{{ }}` is said in the render's language
    )
    # `{% trans %}` blocks fold their white space, so a msgid reads the same however the
    # template is indented; newstyle: `_("%(n)s votes", n=3)` fills and escapes its values.
    env.policies["ext.i18n.trimmed"] = True
    env.install_gettext_callables(gettext, ngettext, newstyle=True)  # type: ignore[attr-defined]
    # The same newstyle callables, their values escaped in C (web/jinja_gettext.py).
    env.globals.update(gettext=jinja_gettext.gettext, ngettext=jinja_gettext.ngettext)
    env.globals["language"] = language_of_render
    env.globals["language_choices"] = language_choices
    env.globals["language_named"] = language
    env.globals.update(shown_voters=shown_voters, more_voters=more_voters)  # avatar_budget.py
    env.globals["page_text"] = page_text
    env.filters["number"] = formats.number
    env.filters["percent"] = formats.percent
    env.filters["iso_utc"] = clock.iso_utc
    env.filters["is_open"] = is_open
    env.filters["initials_avatar"] = urls.initials_avatar
    env.filters["member_element_id"] = member_element_id
    env.tests["guest"] = is_guest  # `{% if login is guest %}`: the name is the guest's own
    env.filters["utc_text"] = formats.date_time  # the viewer's zone when known, else UTC
    env.globals["url"] = urls.path  # every link from a route name
    env.globals["static"] = urls.static
    env.globals["absolute"] = urls.absolute  # a link for another site: embed code, QR
    env.globals["login_url"] = urls.login_url
    env.globals["with_next"] = urls.with_next
    env.globals["limits"] = LIMITS  # the forms' limits, from the domain
    # The visibility settings with their labels: templates loop over these, never retype them.
    env.globals.update(ResultsVisibility=ResultsVisibility, ShowVoters=ShowVoters, Kind=Kind)
    env.globals.update(Confidence=Confidence, confidence_question=CONFIDENCE_QUESTION)
    env.globals["server_now"] = clock.now_iso  # the countdown follows the server's clock
    # Flags that only pushed fragments set: off in full pages.
    env.globals.update(oob=False, keep_voters=False, surface="page", gone=False)
    # A room's pages set these: the vote form then names its room, presence says "in the room".
    env.globals.update(room_code="", in_room=False)
    env.globals.update(oob=False, keep_voters=False, surface="page", gone=False, preview=False)
    env.globals["member_rows"] = None  # #roster's rows when the publisher rendered them already
    # What a refused guest vote kept (the pick, the name, its problem), and whose poll it is.
    env.globals.update(picked=None, guest_name="", guest_error=None, is_owner=False)
    env.globals["results_html"] = ""  # the projector's results, when its route rendered them
    env.filters["two_decimals"] = lambda number: "" if number is None else f"{number:.2f}"
    return env


templates = Jinja2Templates(env=_environment())


def render_fragment(name: str, **context: Any) -> str:
    """Render a partial to a string: the same template the page includes."""
    return templates.get_template(name).render(**context)


def fragment_renderer(settings: Any) -> Callable[..., str]:
    """How the publisher renders its pushes (app.py): the partials, with the site's settings,
    since a pushed vote panel offers the ways to sign in this site has."""

    def render(name: str, /, **context: Any) -> str:
        return render_fragment(name, settings=settings, **context)

    return render
