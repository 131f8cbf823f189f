"""The one Jinja2 environment: pages and pushed fragments render from the same templates."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.templating import Jinja2Templates

from crowdsource.auth.backend import current_user
from crowdsource.auth.csrf import csrf_token
from crowdsource.domain import clock
from crowdsource.domain.visibility import ResultsVisibility, ShowVoters, is_open
from crowdsource.web import urls

PACKAGE_DIR = Path(__file__).resolve().parent.parent  # the `crowdsource` package


def _resource_dir(name: str) -> Path:
    """`templates/` and `static/` sit at the repository root in a checkout and inside the
    package in an installed wheel."""
    checkout = PACKAGE_DIR.parent.parent / name
    return checkout if checkout.is_dir() else PACKAGE_DIR / name


TEMPLATES_DIR = _resource_dir("templates")
STATIC_DIR = _resource_dir("static")


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        autoescape=jinja2.select_autoescape(default=True, default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["iso_utc"] = clock.iso_utc
    env.filters["is_open"] = is_open
    env.filters["initials_avatar"] = urls.initials_avatar
    env.filters["utc_text"] = clock.utc_text
    env.globals["url"] = urls.path  # every link from a route name
    env.globals["static"] = urls.static
    # The visibility settings with their labels: templates loop over these, never retype them.
    env.globals.update(ResultsVisibility=ResultsVisibility, ShowVoters=ShowVoters)
    env.globals["server_now"] = clock.now_iso  # the countdown follows the server's clock
    # Flags that only pushed fragments set: off in full pages.
    env.globals.update(oob=False, keep_voters=False, surface="page")
    env.filters["plural"] = lambda count, word: f"{count} {word}{'' if count == 1 else 's'}"
    return env


templates = Jinja2Templates(env=_environment())


def render_fragment(name: str, **context: Any) -> str:
    """Render a partial to a string: the same template the page includes."""
    return templates.get_template(name).render(**context)


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
