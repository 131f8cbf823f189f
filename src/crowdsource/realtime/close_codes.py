"""The WebSocket close codes the realtime layer decides on itself (RFC 6455, IANA registry).

Named as in `starlette.status`, which the web layer uses; realtime stays free of the web
framework, so it keeps these here rather than importing them."""

from __future__ import annotations

WS_1000_NORMAL_CLOSURE = 1000  # the poll was deleted: nothing to reconnect to
WS_1012_SERVICE_RESTART = 1012  # the server is stopping: browsers reconnect
WS_1011_INTERNAL_ERROR = 1011  # a render failed (a bug): browsers reconnect
