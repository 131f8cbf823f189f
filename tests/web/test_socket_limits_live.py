"""The poll socket against a real `crowdsource serve`, from a raw client: what a hostile
client can make the server hold (a big message, an unfinished one, many sockets) is bounded
by the protocol itself, before the app sees anything."""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest

from crowdsource.web.live_sockets import MAX_FRAME_BYTES
from crowdsource.web.socket_protocol import UNFINISHED_MESSAGE_SECONDS
from tests.helpers.live_server import LiveServer
from tests.helpers.process_memory import memory_kib
from tests.helpers.raw_websocket import RawWebSocket
from tests.helpers.seed import seed_poll
from tests.helpers.services import RedisServer

SOCKETS_PER_ADDRESS = 3
PROMPTLY = 3.0  # seconds: a refusal that does not wait for the rest of the message
_addresses = itertools.count(1)


class Target:
    """The server and its poll's socket URL. Each test connects from its own address (the
    server trusts this machine's `X-Forwarded-For`), so each has its own socket budget."""

    def __init__(self, server: LiveServer, slug: str) -> None:
        self.server = server
        self.url = f"{server.ws_url}/polls/{slug}/ws"

    def open(self, address: str | None = None) -> RawWebSocket:
        address = address or f"203.0.113.{next(_addresses)}"
        socket_ = RawWebSocket(self.url, {"X-Forwarded-For": address})
        socket_.receive_until('id="results"')  # the full state: the app accepted it
        return socket_


def admitted(target: Target, address: str) -> bool:
    """Whether a new socket from `address` gets the poll (rather than a refusal)."""
    with RawWebSocket(target.url, {"X-Forwarded-For": address}) as socket_:
        return _admitted(socket_)


@pytest.fixture(scope="module")
def target(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Target]:
    data_dir = tmp_path_factory.mktemp("socket-limits") / "data"
    slug = seed_poll(data_dir, ["Yes", "No"], voters=0)
    server = LiveServer(data_dir, {"SOCKETS_PER_ADDRESS": str(SOCKETS_PER_ADDRESS)}).start()
    try:
        yield Target(server, slug)
    finally:
        server.stop()
    assert "Traceback" not in server.log(), server.log()


def test_a_message_announcing_megabytes_is_refused_from_its_header(target: Target) -> None:
    with target.open() as socket_:
        socket_.send_raw(RawWebSocket.text_frame("x" * 5_000_000)[:1000])
        assert socket_.wait_closed(PROMPTLY) == 1009


def test_fragments_adding_up_past_the_limit_are_refused(target: Target) -> None:
    piece = "x" * 1000
    with target.open() as socket_:
        socket_.send_text(piece, fin=False)
        for _ in range(MAX_FRAME_BYTES // len(piece)):
            socket_.send_continuation(piece, fin=False)
        assert socket_.wait_closed(PROMPTLY) == 1009


def test_a_fragmented_message_never_finished_is_closed_within_seconds(target: Target) -> None:
    with target.open() as socket_:
        started = time.monotonic()
        socket_.send_text('{"choice": ', fin=False)
        socket_.send_continuation('"x', fin=False)  # and nothing more, pings still answered
        assert socket_.wait_closed(UNFINISHED_MESSAGE_SECONDS + PROMPTLY) == 1008
        assert time.monotonic() - started >= UNFINISHED_MESSAGE_SECONDS - 0.5


def test_a_frame_cut_short_is_closed_within_seconds(target: Target) -> None:
    with target.open() as socket_:
        socket_.send_raw(RawWebSocket.text_frame("x" * 2000)[:100])
        assert socket_.wait_closed(UNFINISHED_MESSAGE_SECONDS + PROMPTLY) == 1008


def test_messages_within_the_limit_still_reach_the_app(target: Target) -> None:
    """Whole or in fragments, a message up to 4 KiB is read; a bad one gets the usual
    #vote-status message and the socket stays open."""
    with target.open() as socket_:
        socket_.send_text("x" * MAX_FRAME_BYTES)
        assert "Sign in to vote" in socket_.receive_until('id="vote-status"')
        socket_.send_text('{"choi', fin=False)
        socket_.send_continuation('ce": "nope"}', fin=True)
        assert "Sign in to vote" in socket_.receive_until('id="vote-status"')


def test_a_5_mb_message_is_refused_without_the_server_holding_it(target: Target) -> None:
    pid = target.server.pid
    with target.open() as warm_up:
        warm_up.send_text("{}")
        warm_up.receive_until('id="vote-status"')
    peak_before = memory_kib(pid, "VmHWM")
    started = time.monotonic()
    with target.open() as socket_:
        socket_.send_raw(RawWebSocket.text_frame("x" * 5_000_000))
        assert socket_.wait_closed(PROMPTLY) in (1009, None)  # None: cut mid-send
    assert time.monotonic() - started < PROMPTLY
    grew_kib = memory_kib(pid, "VmHWM") - peak_before
    assert grew_kib < 2048, f"the server's peak memory grew by {grew_kib} KiB"


def test_sockets_beyond_the_limit_per_address_are_closed_with_1013(target: Target) -> None:
    address = "198.51.100.7"
    with ExitStack() as stack:
        held = [stack.enter_context(target.open(address)) for _ in range(SOCKETS_PER_ADDRESS)]
        with RawWebSocket(target.url, {"X-Forwarded-For": address}) as refused:
            assert refused.wait_closed(PROMPTLY) == 1013
        with target.open("198.51.100.8"):  # another address has its own budget
            pass
        held[0].sock.close()  # the server notices, and the address has room again
        deadline = time.monotonic() + 10
        while not admitted(target, address):
            assert time.monotonic() < deadline, "the closed socket was never released"


def test_the_limit_holds_across_worker_processes(tmp_path: Path, redis_server: RedisServer) -> None:
    """With `--workers 2` one address still gets SOCKETS_PER_ADDRESS in all, not per process."""
    data_dir = tmp_path / "data"
    slug = seed_poll(data_dir, ["Yes", "No"], voters=0)
    env = {"SOCKETS_PER_ADDRESS": str(SOCKETS_PER_ADDRESS), "REDIS_URL": redis_server.url()}
    server = LiveServer(data_dir, env, workers=2).start()
    try:
        workers = Target(server, slug)
        with ExitStack() as stack:
            opened = [
                stack.enter_context(RawWebSocket(workers.url, {"X-Forwarded-For": "192.0.2.9"}))
                for _ in range(3 * SOCKETS_PER_ADDRESS)
            ]
            admitted = [_admitted(socket_) for socket_ in opened]
        assert admitted.count(True) == SOCKETS_PER_ADDRESS, admitted
    finally:
        server.stop()
    assert "Traceback" not in server.log(), server.log()


def _admitted(socket_: RawWebSocket) -> bool:
    try:
        socket_.receive_until('id="results"', timeout=PROMPTLY)
    except AssertionError:
        return False
    return True


def test_the_server_log_has_no_error(target: Target) -> None:
    """Every refusal above is the protocol's or the app's answer, never a crash."""
    log = target.server.log()
    assert "Traceback" not in log and "ERROR" not in log, log
