"""`python -m bench.join_cost [--calls N] [--src DIR]`: CPU µs per call of what each socket's
join does besides uvicorn's handshake, for this checkout's `crowdsource` or another tree's
(`--src /tmp/perf-mid/src`: "before")."""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from collections.abc import Callable, Sequence
from types import SimpleNamespace
from typing import Any

from bench.common.source import add_source_option, use_source

SECRET = "a-bench-secret-" + "x" * 49
ISSUER = "http://127.0.0.1:8000"
ROUNDS = 5


def cpu_us(work: Callable[[Any], object], items: Sequence[Any]) -> float:
    """CPU µs per call of `work` over `items` (process time, so other processes' load is
    not counted)."""
    start = time.process_time()
    for item in items:
        work(item)
    return 1e6 * (time.process_time() - start) / len(items)


def tokens(count: int, first_id: int) -> list[str]:
    from crowdsource.auth.tokens import issue_token
    from crowdsource.domain.models import User

    users = [
        User(id=n, login=f"guest~student-{n}", name=f"Student {n}", avatar_url="/avatars/ab.svg")
        for n in range(first_id, first_id + count)
    ]
    return [issue_token(user, SECRET, ISSUER) for user in users]


def connection(n: int, seeded: bool = True) -> SimpleNamespace:
    """What `csrf_token` reads of a socket: its session (with its page's seed, or none) and
    its user."""
    user = SimpleNamespace(user=SimpleNamespace(id=n))
    session = {"csrf_seed": f"seed-{n:016d}"} if seeded else {}
    return SimpleNamespace(session=session, user=user)


def addresses_us(count: int) -> float:
    """CPU µs for both protocols of a join (HTTP, then WebSocket) to find a connection's two
    addresses, over `count` connections accepted by uvloop (what `serve` runs). An older tree
    (`--src`) asked the kernel through uvicorn's `get_local_addr` and `get_remote_addr`."""
    from uvicorn.protocols.utils import get_local_addr, get_remote_addr

    try:
        from crowdsource.web.transport_addresses import transport_addresses
    except ImportError:

        def transport_addresses(transport: Any) -> tuple[Any, Any]:
            return get_local_addr(transport), get_remote_addr(transport)

    spent = [0.0]

    class Accepting(asyncio.Protocol):
        def connection_made(self, transport: asyncio.BaseTransport) -> None:
            start = time.process_time()
            transport_addresses(transport)  # the HTTP protocol's
            transport_addresses(transport)  # the WebSocket protocol's, after the upgrade
            spent[0] += time.process_time() - start
            transport.close()

    async def accept_all() -> None:
        server = await asyncio.get_running_loop().create_server(Accepting, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        for _ in range(count):
            _, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.close()
        server.close()

    uvloop_run(accept_all())
    return 1e6 * spent[0] / count


UPGRADE_TARGET = b"/polls/oGoZmpL2cLc/ws"
UPGRADE_HEADERS = [  # as httptools hands them to uvicorn: names lowercased
    (b"host", b"127.0.0.1:8000"),
    (b"upgrade", b"websocket"),
    (b"connection", b"Upgrade"),
    (b"sec-websocket-key", b"dGhlIHNhbXBsZSBub25jZQ=="),
    (b"sec-websocket-version", b"13"),
    (b"user-agent", b"Python/3.11 websockets/17.4"),
    (b"cookie", b"crowdsource_session=" + b"x" * 360),
]


def read_back(conn: Any) -> Any:
    """uvicorn's way: the request written out again, and websockets' parser reading it."""
    output = [b"GET", b" ", UPGRADE_TARGET, b" HTTP/1.1\r\n"]
    for name, value in UPGRADE_HEADERS:
        output += [name, b": ", value, b"\r\n"]
    output.append(b"\r\n")
    conn.receive_data(b"".join(output))
    return conn.events_received()[0]


def request_us(count: int) -> float:
    """CPU µs for a socket's upgrade request to reach the WebSocket protocol as websockets'
    `Request`: handed over as httptools parsed it (web/handshake_request.py), or, in an
    older tree (`--src`), written out and read back as uvicorn does."""
    from websockets.server import ServerProtocol

    try:
        from crowdsource.web.handshake_request import handshake_request
    except ImportError:
        conns = iter([ServerProtocol() for _ in range(count)])

        def handshake_request(method: str, target: bytes, headers: Any) -> Any:
            return read_back(next(conns))

    start = time.process_time()
    for _ in range(count):
        handshake_request("GET", UPGRADE_TARGET, UPGRADE_HEADERS)
    return 1e6 * (time.process_time() - start) / count


SOCKET_PATHS = ("/r/K7Q2XM/ws", "/polls/oGoZmpL2cLc/ws")  # a room's socket, a poll's


def route_us(count: int) -> float:
    """CPU µs for Starlette's router to find a socket's route, half of them a room's and half
    a poll's: the routes asked in order until one matches, as `Router.app` does (web/routes/
    __init__.py puts the sockets' first; an older tree had them among the HTTP routes)."""
    from starlette.routing import Match

    from crowdsource.web.routes import all_routes

    routes = all_routes()
    scopes = [
        {"type": "websocket", "path": SOCKET_PATHS[n % 2], "root_path": "", "headers": []}
        for n in range(count)
    ]
    start = time.process_time()
    for scope in scopes:
        for route in routes:
            match, _ = route.matches(scope)
            if match is Match.FULL:
                break
        else:
            raise AssertionError(f"no route for {scope['path']}")
    return 1e6 * (time.process_time() - start) / count


def uvloop_run(work: Any) -> Any:
    import uvloop

    return uvloop.run(work)


def measure(calls: int) -> dict[str, list[float]]:
    from crowdsource.auth import csrf
    from crowdsource.auth.csrf import csrf_token
    from crowdsource.auth.tokens import read_token

    figures: dict[str, list[float]] = {"token, first sight": [], "token, seen before": []}
    figures["CSRF token"] = []
    figures["socket CSRF, no seed"] = []  # a socket opened without its page (the fan-out's)
    figures["addresses, both protocols"] = []
    figures["upgrade request, read"] = []
    figures["socket's route, found"] = []
    # An older tree (`--src`) had sockets sign a fresh seed with `csrf_token`.
    socket_token = getattr(csrf, "socket_csrf_token", csrf_token)
    for round_ in range(ROUNDS):
        fresh = tokens(calls, 1 + round_ * calls)
        figures["token, first sight"].append(cpu_us(lambda t: read_token(t, SECRET, ISSUER), fresh))
        figures["token, seen before"].append(
            cpu_us(lambda t: read_token(t, SECRET, ISSUER), fresh[-500:] * (calls // 500 or 1))
        )
        conns = [connection(n) for n in range(calls)]
        figures["CSRF token"].append(cpu_us(lambda c: csrf_token(c, SECRET), conns))
        bare = [connection(n, seeded=False) for n in range(calls)]
        figures["socket CSRF, no seed"].append(cpu_us(lambda c: socket_token(c, SECRET), bare))
        figures["addresses, both protocols"].append(addresses_us(min(calls, 1000)))
        figures["upgrade request, read"].append(request_us(calls))
        figures["socket's route, found"].append(route_us(calls))
    return figures


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.join_cost", description=__doc__)
    parser.add_argument("--calls", type=int, default=3000, help="calls per round (5 rounds)")
    add_source_option(parser)
    options = parser.parse_args(argv)
    use_source(options.src)
    import crowdsource

    print(f"crowdsource from {crowdsource.__file__}")
    print(f"{'CPU µs per call':<28}{'median':>8}   rounds")
    for name, runs in measure(options.calls).items():
        listed = ", ".join(f"{run:.1f}" for run in runs)
        print(f"{name:<28}{statistics.median(runs):>8.1f}   {listed}")


if __name__ == "__main__":
    main()
