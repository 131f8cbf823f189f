"""web/handshake_request.py: an upgrade's request handed over as httptools parsed it gives
the app the same scope, and the client the same answer, as websockets' parser reading
uvicorn's bytes; anything that parser must judge still goes to it."""

from __future__ import annotations

import asyncio
import re
from typing import Any

import pytest
import websockets.http11
from uvicorn.config import Config
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
from uvicorn.server import ServerState

from crowdsource.web import handshake_request as module
from crowdsource.web.handshake_request import handshake_request
from crowdsource.web.http_protocol import UpgradingHttpProtocol
from crowdsource.web.socket_protocol import BoundedWebSocketProtocol
from tests.helpers.socket_protocol import UpgradingTransport

pytestmark = pytest.mark.usefixtures("quiet_uvicorn")

KEY = b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
UPGRADE = b"Host: example.org\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
VERSION = b"Sec-WebSocket-Version: 13\r\n"


def request(
    target: bytes = b"/polls/x/ws?view=room", extra: bytes = b"", key: bytes = KEY
) -> bytes:
    return b"GET " + target + b" HTTP/1.1\r\n" + UPGRADE + key + VERSION + extra + b"\r\n"


ORDINARY = {
    "a page's socket": request(b"/polls/x/ws"),
    "a projector's, with its query": request(),
    "a cookie and an origin": request(
        extra=b"Cookie: crowdsource_session=" + b"a" * 400 + b"\r\nOrigin: http://example.org\r\n"
    ),
    "values with spaces and tabs around them": request(extra=b"X-Note: \t spaced out \t\r\n"),
    "a value in ISO-8859-1": request(extra=b"X-Name: Jos\xe9\r\n"),
    "a header twice, and subprotocols": request(
        extra=b"X-Twice: 1\r\nX-Twice: 2\r\nSec-WebSocket-Protocol: a, b\r\n"
    ),
    "refused: no key": request(key=b""),
    "refused: a key too short": request(key=b"Sec-WebSocket-Key: c2hvcnQ=\r\n"),
}
JUDGED_BY_WEBSOCKETS = {
    "a body announced": request(extra=b"Content-Length: 5\r\n"),
    "an empty body announced": request(extra=b"Content-Length: 0\r\n"),
    "a transfer coding": request(extra=b"Transfer-Encoding: chunked\r\n"),
    "a header line too long": request(extra=b"X-Long: " + b"a" * 9000 + b"\r\n"),
    "a line too long only with its spaces": request(
        extra=b"X-Padded: " + b"a" * 8100 + b" " * 100 + b"x\r\n"
    ),
    "a line too long with trailing spaces": request(
        extra=b"X-Padded: " + b"a" * 8100 + b" " * 100 + b"\r\n"
    ),
    "too many headers": request(extra=b"".join(b"X-%d: 1\r\n" % n for n in range(130))),
    "a target too long": request(b"/polls/x/ws?" + b"a" * 9000),
    "a target not ASCII": request(b"/polls/\xc3\xa9/ws"),
}


class Answered:
    """One upgrade through an HTTP protocol class: what the app saw, what the client got."""

    def __init__(self, http_class: type[HttpToolsProtocol]) -> None:
        self.scope: dict[str, Any] | None = None
        options = {"lifespan": "off", "interface": "asgi3", "log_config": None}
        config = Config(self.app, ws=BoundedWebSocketProtocol, **options)  # type: ignore[arg-type]
        config.load()
        self.protocol = http_class(config, ServerState(), {})
        self.transport = UpgradingTransport()
        self.protocol.connection_made(self.transport)

    async def app(self, scope: Any, receive: Any, send: Any) -> None:
        self.scope = scope
        await receive()
        await send({"type": "websocket.accept"})
        await send({"type": "websocket.close", "code": 1000})

    async def upgrade(self, raw: bytes) -> tuple[Any, bytes]:
        self.protocol.data_received(raw)
        for _ in range(5):
            await asyncio.sleep(0)
        seen = None
        if self.scope is not None:
            seen = {k: v for k, v in self.scope.items() if k not in ("state", "extensions")}
        written = re.sub(rb"(?im)^date: [^\r]*\r\n", b"", bytes(self.transport.written))
        if self.transport.protocol is not None:
            self.transport.protocol.connection_lost(None)  # type: ignore[attr-defined]
        return seen, written


async def answers(raw: bytes, http_class: type[HttpToolsProtocol]) -> tuple[Any, bytes]:
    return await Answered(http_class).upgrade(raw)


@pytest.mark.parametrize("raw", ORDINARY.values(), ids=ORDINARY.keys())
async def test_a_request_handed_over_is_answered_as_websockets_parser_answers_it(
    raw: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    handed = []
    monkeypatch.setattr(
        BoundedWebSocketProtocol,
        "handshake_parsed",
        lambda self, request: (handed.append(request), self.handle_connect(request)),
    )
    ours = await answers(raw, UpgradingHttpProtocol)
    assert len(handed) == 1  # not parsed again
    uvicorns = await answers(raw, HttpToolsProtocol)  # uvicorn's own: written out, read back
    assert ours == uvicorns
    refused = raw in (ORDINARY["refused: no key"], ORDINARY["refused: a key too short"])
    assert ours[1].startswith(b"HTTP/1.1 400 " if refused else b"HTTP/1.1 101 ")
    assert (ours[0] is None) == refused  # the app runs for a socket accepted only


@pytest.mark.parametrize("raw", JUDGED_BY_WEBSOCKETS.values(), ids=JUDGED_BY_WEBSOCKETS.keys())
async def test_what_websockets_must_judge_goes_to_its_parser(raw: bytes) -> None:
    ours = await answers(raw, UpgradingHttpProtocol)
    assert ours == await answers(raw, HttpToolsProtocol)


async def test_frames_after_a_request_handed_over_are_read() -> None:
    answered = Answered(UpgradingHttpProtocol)
    received = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        await receive()
        await send({"type": "websocket.accept"})
        received.append(await receive())

    answered.protocol.app = app  # type: ignore[attr-defined]
    answered.protocol.config.loaded_app = app
    answered.protocol.data_received(request())
    socket = answered.transport.protocol
    assert isinstance(socket, BoundedWebSocketProtocol)
    for _ in range(3):
        await asyncio.sleep(0)
    mask = b"\x00\x00\x00\x00"
    socket.data_received(b"\x81\x84" + mask + b"vote")  # a masked text frame, as browsers send
    for _ in range(3):
        await asyncio.sleep(0)
    assert received == [{"type": "websocket.receive", "text": "vote"}]
    socket.connection_lost(None)


def test_the_checks_are_websockets_own() -> None:
    assert module.TOKEN.pattern == websockets.http11._token_re.pattern
    assert module.VALUE.pattern == websockets.http11._value_re.pattern
    assert module.LONGEST_FIELDS < websockets.http11.MAX_LINE_LENGTH


def test_the_request_is_what_websockets_reads() -> None:
    headers = [(b"host", b"example.org"), (b"x-twice", b" 1"), (b"x-twice", b"2\t")]
    built = handshake_request("GET", b"/ws?a=1", headers)
    assert built is not None
    assert (built.method, built.path, built.protocol) == ("GET", "/ws?a=1", "HTTP/1.1")
    pairs = [("host", "example.org"), ("x-twice", "1"), ("x-twice", "2")]
    assert list(built.headers.raw_items()) == pairs
    assert handshake_request("GET", b"/ws", [(b"bad name", b"x")]) is None
    assert handshake_request("GET", b"/ws", [(b"x", b"line\nbreak")]) is None
    assert handshake_request("GET", b"/a b", []) is None
