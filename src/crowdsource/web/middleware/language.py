"""The language of every request and socket, chosen once here (i18n/negotiation.py) and set for
the render: `?lang=` also sets the cookie `crowdsource_lang` for the pages after it.

A screen shown to the class (a projector, an embed) may prefer its room's or poll's language:
its route calls `prefer_language` once it knows which (only `?lang=` beats that)."""

from __future__ import annotations

from collections.abc import Awaitable
from urllib.parse import parse_qs, unquote
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from starlette.datastructures import MutableHeaders
from starlette.requests import HTTPConnection, cookie_parser
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from crowdsource.i18n.current import use_language, use_zone
from crowdsource.i18n.negotiation import COOKIE, COOKIE_MAX_AGE, QUERY, choose, offered_code

STATIC_PREFIX = "/static/"  # the same files in every language
ZONE_COOKIE = "crowdsource_tz"  # the browser's time zone, written by static/js/page_text.js
LANGUAGE = "crowdsource.language"  # the scope key: the chosen code
_ASKED = "crowdsource.language_asked"  # what the request said: ?lang=, cookie, Accept-Language


def known_zone(name: str) -> bool:
    """An IANA time zone this machine knows (anything else is ignored: times stay UTC)."""
    if not name or len(name) > 64:
        return False
    try:
        ZoneInfo(unquote(name))
    except (ValueError, ZoneInfoNotFoundError):
        return False
    return True


class LanguageMiddleware:
    def __init__(
        self, app: ASGIApp, offered: tuple[str, ...], default: str, secure: bool = False
    ) -> None:
        self.app, self.offered, self.default, self.secure = app, offered, default, secure

    def __call__(self, scope: Scope, receive: Receive, send: Send) -> Awaitable[None]:
        # Chosen here and now; a socket (or a static file) then gets the app's own awaitable,
        # so neither this frame nor the parsed cookies stay alive (web/middleware/__init__.py).
        if scope["type"] not in ("http", "websocket"):
            return self.app(scope, receive, send)
        query = parse_qs(scope.get("query_string", b"").decode("latin-1")).get(QUERY, [None])[-1]
        headers = {name: value for name, value in scope.get("headers", [])}
        # Starlette's parser, as `request.cookies` reads every other cookie: lenient with a
        # malformed header, and a tenth of `SimpleCookie`'s cost (20 µs a socket).
        cookies = cookie_parser(headers.get(b"cookie", b"").decode("latin-1"))
        kept = cookies.get(COOKIE)
        zone = cookies.get(ZONE_COOKIE, "")
        if known_zone(zone):
            use_zone(unquote(zone))
        accept = headers.get(b"accept-language", b"").decode("latin-1")
        scope[_ASKED] = (query, kept, accept, self.offered, self.default)
        code = choose(query, kept, accept, self.offered, self.default)
        scope[LANGUAGE] = code
        use_language(code)
        asked = offered_code(query, self.offered)
        if scope["type"] == "websocket" or scope["path"].startswith(STATIC_PREFIX):
            return self.app(scope, receive, send)
        remembered = asked if asked is not None and asked != kept else None
        return self._http(scope, receive, send, code, remembered)

    async def _http(
        self, scope: Scope, receive: Receive, send: Send, code: str, remembered: str | None
    ) -> None:
        """The response says its language, and remembers a `?lang=` choice in the cookie."""

        async def remember(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                # The language the route ended up speaking (a class screen may choose its own).
                headers["Content-Language"] = str(scope.get(LANGUAGE, code))
                headers.add_vary_header("Accept-Language")
                headers.add_vary_header("Cookie")
                if remembered:
                    secure = "; Secure" if self.secure else ""
                    headers.append(
                        "Set-Cookie",
                        f"{COOKIE}={remembered}; Path=/; Max-Age={COOKIE_MAX_AGE}; "
                        f"SameSite=Lax{secure}",
                    )
            await send(message)

        await self.app(scope, receive, remember)


def prefer_language(connection: HTTPConnection, preferred: str | None) -> str:
    """Speak a room's or poll's own language on a screen shown to the class, unless the
    request asked for one with `?lang=`; returns the language now spoken."""
    asked = connection.scope.get(_ASKED)
    if asked is None or not preferred:
        return str(connection.scope.get(LANGUAGE, "en"))
    query, kept, accept, offered, default = asked
    code = choose(query, kept, accept, offered, default, preferred=preferred)
    connection.scope[LANGUAGE] = code
    use_language(code)
    return code


def speak_for_class(connection: HTTPConnection, code: str, *, shown_to_class: bool) -> str:
    """A room's or poll's own language (`code`, maybe ""): a screen shown to the class
    speaks it unless `?lang=` says otherwise; a student's page takes it as the default,
    after their own choice and their browser's. Returns the language now spoken."""
    if shown_to_class:
        return prefer_language(connection, code)
    asked = connection.scope.get(_ASKED)
    if asked is None or not code:
        return language_of(connection)
    query, kept, accept, offered, default = asked
    chosen = choose(query, kept, accept, offered, code if code in offered else default)
    connection.scope[LANGUAGE] = chosen
    use_language(chosen)
    return chosen


def language_of(connection: HTTPConnection) -> str:
    return str(connection.scope.get(LANGUAGE, "en"))


def offered_languages(connection: HTTPConnection) -> tuple[str, ...]:
    """The languages this site offers (LANGUAGES), as the switcher lists them."""
    asked = connection.scope.get(_ASKED)
    return tuple(asked[3]) if asked else ()
