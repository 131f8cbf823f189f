"""Security headers on every HTTP response; `/embed` may be framed, nothing else may."""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from crowdsource.web.urls import is_path_of


def base_policy(image_origins: tuple[str, ...] = ()) -> str:
    """Images load from this site and from `image_origins` alone: the avatar origins the
    sign-in also keeps pictures to (`Settings.avatar_origins`)."""
    images = " ".join(("'self'", "data:", *image_origins))
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
        embed = is_path_of("embed", scope["path"])

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
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
