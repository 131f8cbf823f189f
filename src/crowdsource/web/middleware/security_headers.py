"""Security headers on every HTTP response.

Framing: only a response its route declared frameable (`allow_framing`: the embed widget of a
poll that exists) may be framed, by EMBED_ALLOWED_ORIGINS; everything else, a 404 under
`/polls/*/embed` included, is `X-Frame-Options: DENY`.

Caching: a response that depends on who is asking is `Cache-Control: private, no-store`, so
no shared cache or browser disk keeps a person's page, list of polls or export. The rule, here
only: the request was signed in, or the response sets a cookie. Static files and responses
their route declared `public` (the same for everyone: QR codes, generated avatars) keep theirs.
"""

from __future__ import annotations

from collections.abc import Awaitable

from starlette.datastructures import MutableHeaders
from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from crowdsource.web.urls import PATHS

FRAMEABLE = "crowdsource.frameable"  # the scope key `allow_framing` sets
PRIVATE = "private, no-store"
STATIC_PREFIX = PATHS["static"] + "/"


def allow_framing(connection: HTTPConnection) -> None:
    """Let this request's response be framed by the embedding origins: for the embed widget
    only, once it knows the poll exists."""
    connection.scope[FRAMEABLE] = True


def is_personal(scope: Scope, headers: MutableHeaders) -> bool:
    """Whether the response may differ with the person asking: built for a signed-in user,
    or setting a cookie (a sign-in, a session)."""
    if scope["path"].startswith(STATIC_PREFIX):
        return False
    signed_in = getattr(scope.get("user"), "is_authenticated", False)
    return bool(signed_in) or "set-cookie" in headers


def keep_private(scope: Scope, headers: MutableHeaders) -> None:
    """`Cache-Control: private, no-store` on a personal response, unless its route said it
    is public."""
    if is_personal(scope, headers) and "public" not in headers.get("cache-control", ""):
        headers["Cache-Control"] = PRIVATE


def base_policy(image_origins: tuple[str, ...] = ()) -> str:
    """Images load from this site and from `image_origins` alone: the avatar origins the
    sign-in also keeps pictures to (`Settings.avatar_origins`)."""
    images = " ".join(("'self'", "data:", *image_origins))
    return (
        f"default-src 'self'; script-src 'self'; style-src 'self'; img-src {images}; "
        "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
        "form-action 'self'"
    )


def embed_ancestors(origins: tuple[str, ...]) -> tuple[str, ...]:
    """The `frame-ancestors` of the embed. `*` (anyone) matches only network schemes, so a
    course page opened from a file (file://, a downloaded handout) could not frame it: when
    anyone may, a file may too."""
    return (*origins, "file:") if "*" in origins else origins


# The crash page is rendered outside every middleware (Starlette's ServerErrorMiddleware is
# outermost), so it carries its own copy of the strictest headers.
CRASH_PAGE_HEADERS = {
    "Content-Security-Policy": f"{base_policy()}; frame-ancestors 'none'",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


class SecurityHeadersMiddleware:
    def __init__(
        self,
        app: ASGIApp,
        *,
        embed_origins: tuple[str, ...],
        https: bool,
        image_origins: tuple[str, ...] = (),
    ) -> None:
        self.app = app
        ancestors = " ".join(embed_ancestors(embed_origins)) or "'none'"
        policy = base_policy(image_origins)
        self.embed_policy = f"{policy}; frame-ancestors {ancestors}"
        self.page_policy = f"{policy}; frame-ancestors 'none'"
        self.https = https

    def __call__(self, scope: Scope, receive: Receive, send: Send) -> Awaitable[None]:
        # Not a coroutine itself: a socket gets the app's own awaitable, so no frame of this
        # class stays alive for the socket's whole life (web/middleware/__init__.py).
        if scope["type"] != "http":
            return self.app(scope, receive, send)
        return self._http(scope, receive, send)

    async def _http(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                embed = scope.get(FRAMEABLE, False) and message["status"] < 400
                keep_private(scope, headers)
                headers.setdefault(
                    "Content-Security-Policy", self.embed_policy if embed else self.page_policy
                )
                if not embed:
                    headers.setdefault("X-Frame-Options", "DENY")
                headers.setdefault("X-Content-Type-Options", "nosniff")
                headers.setdefault("Referrer-Policy", "same-origin")
                headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
                if self.https:
                    headers.setdefault("Strict-Transport-Security", "max-age=31536000")
            await send(message)

        await self.app(scope, receive, send_with_headers)
