"""The servers under test as child processes on 127.0.0.1, started with tests/helpers'
runner (one way to start a server and wait until it answers, shared with the tests)."""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

from bench import REPO, SRC
from tests.helpers.live_server import LiveServer, ServerProcess
from tests.helpers.services import free_port

NAIVE_BROADCAST = REPO / "bench" / "fanout" / "naive_broadcast.py"
GC_TIMING = REPO / "bench" / "common" / "gc_timing.py"
PHASE_PROFILE = REPO / "bench" / "common" / "phase_profile.py"
# SIGINT: uvicorn shuts down cleanly and cProfile still writes its file.
STOP_SIGNAL = signal.SIGINT
STOP_TIMEOUT = 20.0
# Every bench socket comes from 127.0.0.1: lift the per-address limits so the bench
# measures fan-out, not the limiter (the defaults allow 1,000 sockets).
UNLIMITED = {
    "SOCKETS_PER_ADDRESS": "100000",
    "SIGN_INS_PER_MINUTE": "100000",
    "VOTES_PER_SECOND": "1000",
    "GUESTS_PER_POLL_PER_ADDRESS": "100000",
    "POLLS_PER_MINUTE": "100000",  # a school's instructors ask their questions from one address
}
# Settings of the caller's shell that would point the server elsewhere.
INHERITED_UNWANTED = ("DATABASE_URL", "REDIS_URL", "PUBLIC_URL")


def crowdsource_server(
    data_dir: Path,
    secret: str,
    *,
    deflate: bool,
    src: Path = SRC,
    database_url: str = "",
    profile: Path | None = None,
    redis_url: str | None = None,
    public_url: str | None = None,
    name: str = "server",
    port: int | None = None,
    gc_json: Path | None = None,
) -> LiveServer:
    """`python -m crowdsource serve` on a free port, guests on, the code from `src` (this
    checkout's by default), on `database_url` (`sqlite_url`, or PostgreSQL's), else on
    DATA_DIR's SQLite file. Several processes share one database; with `redis_url` they hear
    each other's changes, and one `public_url` for all of them makes the same Origin valid
    on each. The log is `name`.log.
    `gc_json`: every garbage collection is timed and written there at exit (gc_timing.py)."""
    env = {
        "PYTHONPATH": str(src),
        "SECRET_KEY": secret,
        "CROWDSOURCE_WS_DEFLATE": "on" if deflate else "off",
        **UNLIMITED,
    }
    if database_url:
        env["DATABASE_URL"] = database_url
    if redis_url:
        env["REDIS_URL"] = redis_url
    if public_url:
        env["PUBLIC_URL"] = public_url
    interpreter = [sys.executable]
    if profile is not None:
        interpreter += [str(PHASE_PROFILE), str(profile)]
    elif gc_json is not None:
        interpreter += [str(GC_TIMING), str(gc_json)]
    server = LiveServer(data_dir, env, port=port, interpreter=interpreter, log_name=f"{name}.log")
    for unwanted in set(INHERITED_UNWANTED) - env.keys():
        server.env.pop(unwanted, None)
    return server


def sqlite_url(data_dir: Path, pragmas: str = "") -> str:
    """The SQLite file `crowdsource serve` uses in `data_dir`; `pragmas` go into the query
    string, which Tortoise turns into SQLite pragmas (`synchronous=FULL`; without one the
    app's own, `db.with_sqlite_pragmas`)."""
    return f"sqlite://{data_dir / 'crowdsource.sqlite3'}" + (f"?{pragmas}" if pragmas else "")


def naive_server(log_dir: Path, *, deflate: bool) -> ServerProcess:
    """naive_broadcast.py: one fixed 3 KB string to every socket per incoming message."""
    port = free_port()
    command = [sys.executable, str(NAIVE_BROADCAST), "--port", str(port)]
    if deflate:
        command.append("--deflate")
    return ServerProcess(command, dict(os.environ), port, log_dir / "naive.log", ready_path="/")


def stop(server: ServerProcess) -> None:
    """Stop a server under test the way the benchmarks always have (see STOP_SIGNAL)."""
    server.stop(STOP_SIGNAL, STOP_TIMEOUT)
