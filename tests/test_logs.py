"""One readable line per request and per socket; uvicorn's chatter hidden; LOG_LEVEL obeyed."""

from __future__ import annotations

import io
import logging
import logging.config
import re
from collections.abc import Iterator

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route, WebSocketRoute
from starlette.testclient import TestClient
from starlette.websockets import WebSocket, WebSocketDisconnect

from crowdsource.log_setup import SOCKETS_LOGGER, log_config
from crowdsource.web.middleware.access_log import ACCESS, AccessLog, request_target


async def hello(request: Request) -> PlainTextResponse:
    return PlainTextResponse("hello", status_code=201)


async def broken(request: Request) -> PlainTextResponse:
    raise RuntimeError("boom")


async def echo(websocket: WebSocket) -> None:
    if websocket.query_params.get("refuse"):
        await websocket.close(1008)
        return
    await websocket.accept()
    text = await websocket.receive_text()
    if text == "bye":
        await websocket.close(4000)
        return
    with pytest.raises(WebSocketDisconnect):
        await websocket.receive_text()


def client() -> TestClient:
    app = Starlette(
        routes=[Route("/hello", hello), Route("/broken", broken), WebSocketRoute("/ws", echo)]
    )
    return TestClient(AccessLog(app), raise_server_exceptions=False)


def access_lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [record.getMessage() for record in caplog.records if record.name == ACCESS.name]


def test_a_request_is_one_line_with_method_target_status_and_time(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger=ACCESS.name)
    with client() as http:
        http.get("/hello?next=/polls/abc")
        http.get("/nowhere")
        http.get("/broken")
    first, missing, failed = access_lines(caplog)
    assert re.fullmatch(r"GET /hello\?next=/polls/abc 201 \d+\.\dms", first)
    assert re.fullmatch(r"GET /nowhere 404 \d+\.\dms", missing)
    assert re.fullmatch(r"GET /broken 500 \d+\.\dms", failed)


def test_secrets_in_the_query_are_redacted_and_their_names_kept(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger=ACCESS.name)
    with client() as http:
        http.get("/hello?code=0a1b2c3d&state=s3cr3t-state&next=/polls/abc")
        http.get("/hello?access_token=ey.J0&Co%64e=x&id_token=y&password=p&sslpassword=q&code")
    oauth, others = access_lines(caplog)
    assert oauth.startswith("GET /hello?code=[redacted]&state=[redacted]&next=/polls/abc 201")
    assert others.startswith(
        "GET /hello?access_token=[redacted]&Co%64e=[redacted]&id_token=[redacted]"
        "&password=[redacted]&sslpassword=[redacted]&code 201"
    )
    for secret in ("0a1b2c3d", "s3cr3t", "ey.J0", "=x", "=y", "=p", "=q"):
        assert secret not in oauth + others


def test_a_socket_target_is_redacted_too() -> None:
    scope = {"path": "/polls/abc/ws", "query_string": b"token=abc&lang=fr"}
    assert request_target(scope) == "/polls/abc/ws?token=[redacted]&lang=fr"


def test_control_characters_and_long_targets_stay_on_one_short_line(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger=ACCESS.name)
    with client() as http:
        http.get("/hello", params={"name": "a\nb"})
        http.get("/hello", params={"q": "x" * 1000})
    encoded, long = access_lines(caplog)
    assert encoded.startswith("GET /hello?name=a%0Ab 201")  # as it came: still encoded
    assert len(long) < 260 and "…" in long
    raw = {"path": "/a\nb", "query_string": b"x=\x1b[31m"}
    assert request_target(raw) == "/a\\x0ab?x=\\x1b[31m"


def test_sockets_log_open_and_close_with_code_and_duration_or_the_refusal(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger=ACCESS.name)
    with client() as http:
        with http.websocket_connect("/ws") as socket:
            socket.send_text("bye")
            socket.receive()
        with http.websocket_connect("/ws") as socket:
            socket.send_text("hello")
            socket.close(1001)
        with pytest.raises(WebSocketDisconnect), http.websocket_connect("/ws?refuse=1"):
            pass
    opened, server_closed, opened_again, client_closed, refused = access_lines(caplog)
    assert opened == opened_again == "WS /ws open"
    assert re.fullmatch(r"WS /ws closed 4000 after \d+\.\ds", server_closed)
    assert re.fullmatch(r"WS /ws closed 1001 after \d+\.\ds", client_closed)
    assert refused == "WS /ws?refuse=1 403"


def test_nothing_is_logged_below_the_level(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger=ACCESS.name)
    with client() as http:
        http.get("/hello")
    assert access_lines(caplog) == []


def configured(level: str) -> tuple[io.StringIO, dict[str, object]]:
    stream = io.StringIO()
    config = log_config(level)
    config["handlers"]["console"]["stream"] = stream  # type: ignore[index]
    return stream, config


@pytest.fixture
def restore_logging() -> Iterator[None]:
    loggers = [logging.getLogger(name) for name in ("uvicorn", "crowdsource", SOCKETS_LOGGER, "")]
    saved = [(lg, lg.handlers[:], lg.level, lg.propagate) for lg in loggers]
    yield
    for logger, handlers, level, propagate in saved:
        logger.handlers[:] = handlers
        logger.setLevel(level)
        logger.propagate = propagate


@pytest.mark.usefixtures("restore_logging")
def test_the_format_is_time_then_message_and_uvicorn_chatter_is_hidden() -> None:
    stream, config = configured("info")
    logging.config.dictConfig(config)
    uvicorn = logging.getLogger("uvicorn.error")
    uvicorn.info("Started server process [%d]", 42)
    uvicorn.info("Uvicorn running on %s://%s:%d (Press CTRL+C to quit)", "http", "x", 1)
    uvicorn.info('%s - "WebSocket %s" [accepted]', "127.0.0.1:1", "/ws")
    uvicorn.info("Waiting for connections to close. (CTRL+C to force quit)")
    ACCESS.info("GET / 200 1.0ms")
    logging.getLogger("crowdsource.broker").warning("Redis is unreachable")
    assert re.fullmatch(
        r"(\d\d:\d\d:\d\d) Waiting for connections to close\. \(CTRL\+C to force quit\)\n"
        r"\1 GET / 200 1\.0ms\n"
        r"\1 WARNING Redis is unreachable\n",
        stream.getvalue(),
    )


@pytest.mark.usefixtures("restore_logging")
def test_log_level_is_obeyed_and_debug_hides_nothing() -> None:
    stream, config = configured("warning")
    logging.config.dictConfig(config)
    ACCESS.info("GET / 200 1.0ms")
    logging.getLogger("uvicorn.error").info("Started server process [%d]", 42)
    assert stream.getvalue() == ""
    stream, config = configured("debug")
    logging.config.dictConfig(config)
    logging.getLogger("uvicorn.error").info("Started server process [%d]", 42)
    assert stream.getvalue().endswith(" Started server process [42]\n")
    assert logging.getLogger("crowdsource").level == logging.DEBUG
    assert log_config("trace")["loggers"]["crowdsource"]["level"] == 5  # type: ignore[index]


@pytest.mark.usefixtures("restore_logging")
async def test_a_sockets_chatter_is_not_even_recorded_above_debug_and_its_errors_still_show() -> (
    None
):
    from uvicorn.config import Config
    from uvicorn.server import ServerState

    from crowdsource.web.socket_protocol import BoundedWebSocketProtocol

    app = Starlette()
    config = Config(app, lifespan="off", log_config=None)
    config.load()
    protocol = BoundedWebSocketProtocol(config, ServerState(), {})
    sockets = logging.getLogger(SOCKETS_LOGGER)
    assert protocol.logger is sockets and protocol.conn.logger is sockets  # uvicorn's, websockets'
    stream, info = configured("info")
    logging.config.dictConfig(info)
    assert not sockets.isEnabledFor(logging.INFO)  # no record is made, none dropped
    sockets.info("connection open")
    sockets.error("Exception in ASGI application")
    assert stream.getvalue().endswith(" ERROR Exception in ASGI application\n")
    assert stream.getvalue().count("\n") == 1
    stream, debug = configured("debug")
    logging.config.dictConfig(debug)
    sockets.info("connection open")
    assert stream.getvalue().endswith(" connection open\n")
    assert BoundedWebSocketProtocol(config, ServerState(), {}).conn.debug
