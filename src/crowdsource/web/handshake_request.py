"""A WebSocket upgrade's request, handed from the HTTP protocol to the WebSocket protocol as
what it already is.

httptools has parsed the request when uvicorn sees the upgrade. uvicorn then writes it out
again as bytes and feeds them to the websockets library, whose parser (a Python generator,
line by line) reads them back into a `Request`: about 50 µs of each socket's join on the
bench machine, against 15 µs to build the same `Request` from httptools' fields
(`python -m bench.join_cost`).

`handshake_request` builds it only where websockets' parser would certainly have read the
same request from uvicorn's bytes: an ASCII target without spaces, fewer headers than its
limit, every line well under its length limit, each name a token and each value of the
characters it allows (stripped as it strips them), and no `Transfer-Encoding` or
`Content-Length`, which it judges itself. Anything else returns None, and goes the way it
always went: websockets' parser answers it, with the same refusals."""

from __future__ import annotations

import re

from websockets.datastructures import Headers
from websockets.http11 import MAX_LINE_LENGTH, MAX_NUM_HEADERS, Request

# websockets.http11's own checks (RFC 7230): a header's name, and its value once stripped.
TOKEN = re.compile(rb"[-!#$%&\'*+.^_`|~0-9a-zA-Z]+")
VALUE = re.compile(rb"[\x09\x20-\x7e\x80-\xff]*")
JUDGED_BY_WEBSOCKETS = (b"transfer-encoding", b"content-length")
# A line is " : " and CRLF longer than its name and value; far enough below the limit that
# where the parser counts from does not matter.
LONGEST_FIELDS = MAX_LINE_LENGTH - 16


def handshake_request(
    method: str, target: bytes, headers: list[tuple[bytes, bytes]]
) -> Request | None:
    """The `Request` websockets would read from uvicorn's `{method} {target} HTTP/1.1` and
    `headers` (names lowercased by uvicorn), or None where its parser must judge them."""
    if len(headers) >= MAX_NUM_HEADERS or len(method) + len(target) > LONGEST_FIELDS:
        return None
    if b" " in target or not target.isascii():
        return None
    kept = Headers()
    for name, value in headers:
        if len(name) + len(value) > LONGEST_FIELDS:  # as the line is, before its value's strip
            return None
        value = value.strip(b" \t")
        if name in JUDGED_BY_WEBSOCKETS or not TOKEN.fullmatch(name) or not VALUE.fullmatch(value):
            return None
        kept[name.decode("ascii")] = value.decode("iso-8859-1")
    return Request(target.decode("ascii"), kept, method, "HTTP/1.1")
