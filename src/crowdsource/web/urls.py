"""Every link of the site, built from the route names (`web/routes/`), never typed by hand.

Templates call `url("poll", slug=…)`; Python calls `path("poll", slug=…)`. A link with a query
(`login_url`) or for another site (`absolute`: share links, QR codes) is built here too."""

from __future__ import annotations

from functools import cache
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

from starlette.routing import Router

MAX_NEXT_LENGTH = 2000


@cache
def _router() -> Router:
    # Imported on first use: the route modules render pages, whose templates call `url`.
    from crowdsource.web.routes import all_routes

    return Router(routes=all_routes())


def path(name: str, /, *, query: dict[str, str] | None = None, **params: Any) -> str:
    """The path of the route called `name`, e.g. `path("poll", slug="abc")` -> `/polls/abc`;
    `query` adds a query string."""
    built = str(_router().url_path_for(name, **{key: str(value) for key, value in params.items()}))
    return f"{built}?{urlencode(query)}" if query else built


def static(file: str) -> str:
    """A file under `static/`."""
    return path("static", path=file)


def initials_avatar(login: str) -> str:
    """The generated picture of anyone this site knows; stored as a guest's avatar URL."""
    return path("initials_avatar", login=quote(login, safe=""))


def absolute(public_url: str, name: str, /, **params: Any) -> str:
    """A full URL on PUBLIC_URL: what is shared, printed or encoded in a QR code."""
    return public_url.rstrip("/") + path(name, **params)


def share_url(public_url: str, slug: str) -> str:
    """The one link of a poll that people pass around."""
    return absolute(public_url, "poll", slug=slug)


def safe_next(raw: object, default: str = "/") -> str:
    """A path on this site, or `default`: never another origin."""
    if not isinstance(raw, str) or not raw.startswith("/") or raw.startswith("//"):
        return default
    if "\\" in raw or any(ord(char) < 32 for char in raw) or len(raw) > MAX_NEXT_LENGTH:
        return default
    parts = urlsplit(raw)
    if parts.scheme or parts.netloc:
        return default
    return raw


def with_next(name: str, next_path: str, /, **params: Any) -> str:
    """A sign-in link that comes back to `next_path` (a local path only)."""
    return path(name, **params) + "?next=" + quote(safe_next(next_path), safe="/")


def login_url(next_path: str) -> str:
    return with_next("login", next_path)
