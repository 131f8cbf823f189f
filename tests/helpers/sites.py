"""Small web sites on 127.0.0.1 beside the app under test, each on its own port (so another
origin than the app), served from a thread for the duration of a `with` block."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Self


class LoopbackSite:
    """A subclass gives the request handler; `url` is where a browser finds the site."""

    def __init__(self) -> None:
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> Self:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        raise NotImplementedError


class HostSite(LoopbackSite):
    """Another site that serves one page whose HTML the test sets, such as a course page
    that embeds the live results with the owner's snippet."""

    def __init__(self) -> None:
        self.html = "<!doctype html><title>Empty</title>"
        super().__init__()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                body = site.html.encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                """Quiet: pytest shows failures, not access logs."""

        return Handler
