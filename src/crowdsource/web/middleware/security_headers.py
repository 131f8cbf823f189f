"""Security headers on every HTTP response.

Framing: only a response its route declared frameable (`allow_framing`: the embed widget of a
poll that exists) may be framed, by EMBED_ALLOWED_ORIGINS; everything else, a 404 under
`/polls/*/embed` included, is `X-Frame-Options: DENY`.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Message, Receive, Scope, Send

FRAMEABLE = "crowdsource.frameable"  # the scope key `allow_framing` sets


def allow_framing(connection: HTTPConnection) -> None:
    """Let this request's response be framed by the embedding origins: for the embed widget
    only, once it knows the poll exists."""
    connection.scope[FRAMEABLE] = True


def base_policy(image_origins: tuple[str, ...] = ()) -> str:
    """Avatars load from providers over https; `image_origins` adds a provider's own origin
    (a GitHub Enterprise Server on plain http, or a stand-in in tests)."""
    images = " ".join(("'self'", "https:", "data:", *image_origins))
    return (
        f"default-src 'self'; script-src 'self'; style-src 'self'; img-src {images}; "
        "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
        "form-action 'self'"
    )


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
        ancestors = " ".join(embed_origins) or "'none'"
        policy = base_policy(image_origins)
        self.embed_policy = f"{policy}; frame-ancestors {ancestors}"
        self.page_policy = f"{policy}; frame-ancestors 'none'"
        self.https = https

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                embed = scope.get(FRAMEABLE, False) and message["status"] < 400
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
