"""A running `crowdsource serve`: what it prints, and how Ctrl+C and SIGTERM stop it."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
from pathlib import Path

import httpx2
import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from crowdsource import __version__
from tests.helpers.client import csrf_of
from tests.helpers.live_server import REPO, LiveServer
from tests.helpers.services import free_port

ACCESS_LINE = re.compile(r"^\d\d:\d\d:\d\d GET /healthz 200 \d+\.\dms$", re.MULTILINE)


def guest_poll(server: LiveServer) -> tuple[str, str]:
    """A guest signs in and creates a poll: (slug, cookie header)."""
    with httpx2.Client(base_url=server.url) as http:
        login = http.get("/login")
        http.post(
            "/login/guest", data={"name": "Ada", "next": "/", "csrf_token": csrf_of(login.text)}
        )
        home = http.get("/")
        created = http.post(
            "/polls",
            data={"question": "Tea?", "choices": ["Yes", "No"], "csrf_token": csrf_of(home.text)},
        )
        assert created.status_code == 303, created.text
        cookie = "; ".join(f"{name}={value}" for name, value in http.cookies.items())
        return created.headers["location"].rsplit("/", 1)[1], cookie


@pytest.mark.parametrize(
    ("stop", "log_level"),
    [(signal.SIGINT, "info"), (signal.SIGTERM, "warning")],
    ids=["ctrl-c, access log", "sigterm, quiet"],
)
def test_a_server_says_where_to_go_logs_one_line_per_request_and_stops_cleanly(
    tmp_path: Path, stop: signal.Signals, log_level: str
) -> None:
    server = LiveServer(
        tmp_path / "data",
        {"LOG_LEVEL": log_level, "GITHUB_CLIENT_ID": "id", "GITHUB_CLIENT_SECRET": "secret"},
    ).start()
    try:
        slug, cookie = guest_poll(server)
        with connect(
            f"{server.ws_url}/polls/{slug}/ws",
            additional_headers={"Cookie": cookie},
            open_timeout=10,
        ) as socket_:
            socket_.recv(timeout=10)  # the full state
            assert server.process is not None
            server.process.send_signal(stop)
            with pytest.raises(ConnectionClosed) as closed:
                while True:
                    socket_.recv(timeout=15)
            assert closed.value.rcvd is not None and closed.value.rcvd.code == 1012
        assert server.process.wait(timeout=20) == 0
    finally:
        server.stop()
    log = server.log()
    assert log.startswith(
        f"Crowdsource {__version__}: open {server.url} in a browser. Ctrl+C stops it.\n"
        "  sign-in   GitHub, guests with a display name\n"
        f"  database  sqlite://{tmp_path}/data/crowdsource.sqlite3\n"
    )
    assert log.rstrip().endswith("Crowdsource stopped.")
    assert "Traceback" not in log and "INFO:" not in log and "Uvicorn running" not in log
    if log_level == "info":
        assert ACCESS_LINE.search(log)
        assert re.search(rf"^\d\d:\d\d:\d\d WS /polls/{slug}/ws open$", log, re.MULTILINE)
        assert re.search(
            rf"^\d\d:\d\d:\d\d WS /polls/{slug}/ws closed 1012 after \d+\.\ds$", log, re.MULTILINE
        )
    else:
        assert "GET /" not in log and "WS /" not in log


@pytest.mark.parametrize(
    ("command", "status", "last_line"),
    [
        (["serve", "--port", str(free_port())], 0, "Crowdsource stopped."),
        (["migrate"], 130, "crowdsource: interrupted; run `crowdsource migrate` again"),
    ],
)
def test_ctrl_c_while_waiting_for_the_database_is_one_line(
    tmp_path: Path, command: list[str], status: int, last_line: str
) -> None:
    with socket.socket() as silent:  # a database that never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        url = f"postgres://app:pw@127.0.0.1:{silent.getsockname()[1]}/polls"
        environment = {**os.environ, "PYTHONPATH": str(REPO / "src"), "DATA_DIR": str(tmp_path)}
        process = subprocess.Popen(
            [sys.executable, "-m", "crowdsource", *command],
            env={**environment, "DATABASE_URL": url},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        silent.settimeout(30)
        connection, _ = silent.accept()  # it is waiting for the database now (up to 10 s)
        with connection:
            process.send_signal(signal.SIGINT)
            output, _ = process.communicate(timeout=20)
    assert process.returncode == status
    assert output.strip().splitlines() == [last_line]
