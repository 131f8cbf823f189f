"""A WebSocket lives for a lesson: the middleware with nothing to do after the app for a
socket hands it the app's own awaitable (no frame of theirs stays alive under it), and its
checks still run before (web/middleware/__init__.py)."""

from __future__ import annotations

import contextvars
import json
from base64 import b64encode
from collections.abc import Awaitable, Callable
from typing import Any

import itsdangerous
import pytest

from crowdsource.web.middleware.forwarded import PEER_TRUSTED, ForwardedMiddleware
from crowdsource.web.middleware.language import LANGUAGE, LanguageMiddleware
from crowdsource.web.middleware.request_limits import RequestLimitsMiddleware
from crowdsource.web.middleware.security_headers import SecurityHeadersMiddleware
from crowdsource.web.middleware.sessions import SessionMiddleware

SECRET = "session key for the test"


class Inner:
    """An app that returns a marker awaitable of its own, and remembers the scope."""

    def __init__(self) -> None:
        self.scope: dict[str, Any] | None = None
        self.returned: Awaitable[None] | None = None

    def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> Awaitable[None]:
        self.scope = scope

        async def marker() -> None:
            return None

        self.returned = marker()
        return self.returned


def socket_scope(
    headers: list[tuple[bytes, bytes]] | None = None,
    query: bytes = b"",
    client: tuple[str, int] = ("10.0.0.9", 5000),
) -> dict[str, Any]:
    return {
        "type": "websocket",
        "path": "/polls/abc/ws",
        "raw_path": b"/polls/abc/ws",
        "query_string": query,
        "headers": headers or [],
        "client": client,
        "scheme": "ws",
    }


def session_cookie(data: dict[str, str], key: str = SECRET) -> bytes:
    signed = itsdangerous.TimestampSigner(key).sign(b64encode(json.dumps(data).encode()))
    return b"crowdsource_session=" + signed


MIDDLEWARE: dict[str, Callable[[Inner], Any]] = {
    "forwarded": lambda app: ForwardedMiddleware(app, trusted_hosts="127.0.0.1"),
    "request limits": RequestLimitsMiddleware,
    "security headers": lambda app: SecurityHeadersMiddleware(app, embed_origins=(), https=False),
    "language": lambda app: LanguageMiddleware(app, ("en", "fr"), "en"),
    "session": lambda app: SessionMiddleware(app, SECRET, session_cookie="crowdsource_session"),
}


@pytest.mark.parametrize("name", MIDDLEWARE)
def test_a_socket_gets_the_app_s_own_awaitable(name: str) -> None:
    inner = Inner()
    handed = MIDDLEWARE[name](inner)(socket_scope(), None, None)
    assert handed is inner.returned  # nothing of the middleware wraps it
    handed.close()  # type: ignore[attr-defined]


async def test_a_socket_s_overlong_query_is_still_closed_with_1008() -> None:
    inner, sent = Inner(), []

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await RequestLimitsMiddleware(inner)(socket_scope(query=b"x" * 5000), None, send)
    assert sent == [{"type": "websocket.close", "code": 1008}] and inner.scope is None


def test_a_socket_s_proxy_headers_are_applied_from_a_trusted_proxy_only() -> None:
    forwarded = [(b"x-forwarded-for", b"203.0.113.7"), (b"x-forwarded-proto", b"https")]
    for peer, client, trusted in [
        ("127.0.0.1", "203.0.113.7", True),
        ("10.0.0.9", "10.0.0.9", False),
    ]:
        inner = Inner()
        scope = socket_scope(forwarded, client=(peer, 5000))
        ForwardedMiddleware(inner, trusted_hosts="127.0.0.1")(scope, None, None).close()  # type: ignore[attr-defined]
        assert inner.scope is not None
        assert inner.scope["client"][0] == client and inner.scope[PEER_TRUSTED] is trusted
        assert inner.scope["scheme"] == ("wss" if trusted else "ws")


@pytest.mark.parametrize(
    ("cookie", "session"),
    [
        (session_cookie({"csrf_seed": "abc"}), {"csrf_seed": "abc"}),
        (session_cookie({"csrf_seed": "abc"}, key="another key"), {}),  # forged: empty
        (b"crowdsource_session=garbage", {}),
        (b"other=1", {}),
    ],
)
def test_a_socket_s_session_is_read_as_starlette_reads_it(
    cookie: bytes, session: dict[str, str]
) -> None:
    inner = Inner()
    middleware = SessionMiddleware(inner, SECRET, session_cookie="crowdsource_session")
    middleware(socket_scope([(b"cookie", cookie)]), None, None).close()  # type: ignore[attr-defined]
    assert inner.scope is not None and dict(inner.scope["session"]) == session


def test_a_socket_s_language_is_still_chosen() -> None:
    inner = Inner()
    headers = [(b"cookie", b"crowdsource_lang=fr"), (b"accept-language", b"en")]
    middleware = LanguageMiddleware(inner, ("en", "fr"), "en")
    # In a context of its own, as a server's task has: the language it sets stays there.
    contextvars.copy_context().run(middleware, socket_scope(headers), None, None).close()  # type: ignore[attr-defined]
    assert inner.scope is not None and inner.scope[LANGUAGE] == "fr"
