"""The app's ASGI middleware.

A WebSocket lives for a whole lesson, and every middleware coroutine it passes through stays
suspended under it for that long: its frame, its locals (parsed cookies, headers) and its
closures. A middleware with nothing to do after the app for a socket (it only reads or
rewrites the scope, or only touches HTTP responses) is therefore a plain function returning
the app's own awaitable (`return self.app(scope, receive, send)`) for a socket: the server
awaits that directly, and nothing of the middleware stays alive. Its checks still run, before
the app is called. HTTP requests keep their coroutine (`_http`): theirs ends with the
response."""
