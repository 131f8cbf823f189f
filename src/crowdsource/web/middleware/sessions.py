"""Starlette's session cookie, read without staying on a socket's stack.

Starlette's `SessionMiddleware` reads the cookie, then awaits the app with a `send` wrapper
that writes the cookie back on `http.response.start`: a message a WebSocket never sends. So a
socket's session is read here, the same way (the same signer, the same maximum age, a bad
signature is an empty session), and the socket gets the app's own awaitable
(web/middleware/__init__.py). HTTP requests go through Starlette's code unchanged."""

from __future__ import annotations

import json
from base64 import b64decode
from collections.abc import Awaitable

from itsdangerous.exc import BadSignature
from starlette.middleware import sessions
from starlette.requests import HTTPConnection
from starlette.types import Receive, Scope, Send


class SessionMiddleware(sessions.SessionMiddleware):
    def __call__(self, scope: Scope, receive: Receive, send: Send) -> Awaitable[None]:
        if scope["type"] != "websocket":
            return super().__call__(scope, receive, send)
        scope["session"] = self.read(scope)
        return self.app(scope, receive, send)

    def read(self, scope: Scope) -> sessions.Session:
        """The session the request's cookie holds, or an empty one."""
        cookie = HTTPConnection(scope).cookies.get(self.session_cookie)
        if cookie is None:
            return sessions.Session()
        try:
            data = self.signer.unsign(cookie.encode("utf-8"), max_age=self.max_age)
            return sessions.Session(json.loads(b64decode(data)))
        except BadSignature:
            return sessions.Session()
