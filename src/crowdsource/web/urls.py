"""Every link of the site, built from route names, never typed by hand.

`PATHS` is the one table of the site's paths by route name: the route modules declare their
routes from it (`route("poll", show)`), templates call `url("poll", slug=…)`, Python calls
`path("poll", slug=…)`. Links with a query (`login_url`) or for another site (`absolute`:
share links, QR codes) are built here too. This module imports nothing of the app, so every
layer of `web/` can use it."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import cache
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

from starlette.routing import Route, WebSocketRoute, compile_path, replace_params

from crowdsource.i18n.negotiation import QUERY as LANGUAGE_QUERY

MAX_NEXT_LENGTH = 2000

PATHS: dict[str, str] = {
    "home": "/",
    "healthz": "/healthz",
    "metrics": "/metrics",
    "initials_avatar": "/avatars/{login}.svg",
    "static": "/static",
    # signing in
    "login": "/login",
    "login_guest": "/login/guest",
    "logout": "/logout",
    "login_provider": "/login/{provider}",
    "provider_callback": "/auth/{provider}/callback",
    # polls
    "create_poll": "/polls",
    "my_polls": "/polls",
    "close_open_polls": "/polls/close-open",  # never a slug: slugs are 11 characters
    "poll": "/polls/{slug}",
    "vote": "/polls/{slug}/votes",
    "poll_socket": "/polls/{slug}/ws",
    "results_json": "/polls/{slug}/results.json",
    "results_csv": "/polls/{slug}/results.csv",
    "present": "/polls/{slug}/present",
    "embed": "/polls/{slug}/embed",
    "qr": "/polls/{slug}/qr.svg",
    # the owner's controls
    "close_poll": "/polls/{slug}/close",
    "reopen_poll": "/polls/{slug}/reopen",
    "extend_poll": "/polls/{slug}/extend",
    "poll_visibility": "/polls/{slug}/visibility",
    "poll_language": "/polls/{slug}/language",  # what its projector and embed speak
    "duplicate_poll": "/polls/{slug}/duplicate",
    "reveal_poll": "/polls/{slug}/reveal",  # a quiz's correct responses, on every screen
    "start_round": "/polls/{slug}/rounds",  # vote again (peer instruction)
    "confirm_delete_poll": "/polls/{slug}/delete",
    "delete_poll": "/polls/{slug}/delete",
    "hide_answer": "/polls/{slug}/answers/{id}/hide",  # a text question's answer, everywhere
    # rooms: one code for a course, every screen following the current question
    "my_rooms": "/rooms",
    "create_room": "/rooms",
    "join": "/join",
    "room": "/r/{code}",
    "room_socket": "/r/{code}/ws",
    "room_host": "/r/{code}/host",
    "room_present": "/r/{code}/present",
    "room_qr": "/r/{code}/qr.svg",
    "room_results_csv": "/r/{code}/results.csv",
    "room_report": "/r/{code}/report",  # participation over the term (owner)
    "room_report_csv": "/r/{code}/report.csv",
    "room_mine": "/r/{code}/mine",  # a student's own answers in the room
    "room_settings": "/r/{code}/settings",
    "room_language": "/r/{code}/language",  # what its projector speaks
    "room_roster": "/r/{code}/roster",
    "room_questions": "/r/{code}/polls",
    "room_current": "/r/{code}/current",
    "room_next": "/r/{code}/next",
    "room_question": "/r/{code}/polls/{slug}",
    "room_question_move": "/r/{code}/polls/{slug}/move",
    "room_question_delete": "/r/{code}/polls/{slug}/delete",
}


def route(
    name: str, endpoint: Callable[..., Any], methods: Sequence[str] = ("GET",), **params: str
) -> Route:
    """The route called `name`, at its path in `PATHS` (`params` fill a fixed part of it,
    such as a provider's name)."""
    at = path(name, **params) if params else PATHS[name]
    return Route(at, endpoint, methods=list(methods), name=_named(name, params))


def websocket_route(name: str, endpoint: Callable[..., Any]) -> WebSocketRoute:
    return WebSocketRoute(PATHS[name], endpoint, name=name)


def _named(name: str, params: dict[str, str]) -> str:
    return "_".join([name, *params.values()]) if params else name


@cache
def _compiled(name: str) -> tuple[str, dict[str, Any]]:
    _, template, convertors = compile_path(PATHS[name])
    return template, convertors


def path(name: str, /, *, query: dict[str, str] | None = None, **params: Any) -> str:
    """The path of the route called `name`, e.g. `path("poll", slug="abc")` -> `/polls/abc`;
    `query` adds a query string. A missing or unknown parameter is an error, not a bad link."""
    template, convertors = _compiled(name)
    built, left = replace_params(template, convertors, {k: str(v) for k, v in params.items()})
    if left or "{" in built:
        raise ValueError(f"route {name!r} takes {sorted(convertors)}, got {sorted(params)}")
    return f"{built}?{urlencode(query)}" if query else built


@cache
def _pattern(name: str) -> re.Pattern[str]:
    return compile_path(PATHS[name])[0]


def is_path_of(name: str, path: str) -> bool:
    """Whether `path` is the path of the route called `name`, whatever its parameters."""
    return _pattern(name).match(path) is not None


def static(file: str) -> str:
    """A file under `static/`."""
    return f"{PATHS['static']}/{quote(file)}"


def initials_avatar(login: str) -> str:
    """The generated picture of anyone this site knows; stored as a guest's avatar URL."""
    return path("initials_avatar", login=quote(login, safe=""))


def absolute(public_url: str, name: str, /, **params: Any) -> str:
    """A full URL on PUBLIC_URL: what is shared, printed or encoded in a QR code."""
    return public_url.rstrip("/") + path(name, **params)


def share_url(public_url: str, slug: str) -> str:
    """The one link of a poll that people pass around."""
    return absolute(public_url, "poll", slug=slug)


def room_url(public_url: str, code: str) -> str:
    """The one link of a room, pinned in the course chat for the term."""
    return absolute(public_url, "room", code=code)


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


def in_language(path_now: str, query_now: str, code: str) -> str:
    """This page again in another language: its path and query, `lang` set to `code`."""
    kept = [(name, value) for name, value in parse_qsl(query_now) if name != LANGUAGE_QUERY]
    return path_now + "?" + urlencode([*kept, (LANGUAGE_QUERY, code)])
