"""Browser tests: Debian's Chromium driven by Playwright against a real `crowdsource serve`."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx2
import pytest

CHROMIUM = "/usr/bin/chromium"
REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO / "test-results" / "screenshots"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)
            if not Path(CHROMIUM).exists():
                item.add_marker(
                    pytest.mark.skip(
                        reason=f"{CHROMIUM} is not installed (apt-get install chromium)"
                    )
                )


@pytest.fixture(scope="session")
def browser_type_launch_args() -> dict[str, Any]:
    return {
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


class LiveServer:
    """A real `crowdsource serve` process on 127.0.0.1 with its own data folder."""

    def __init__(
        self, data_dir: Path, env: dict[str, str] | None = None, host: str = "127.0.0.1"
    ) -> None:
        self.host = host
        self.port = free_port(host)
        self.url = f"http://{host}:{self.port}"
        self.data_dir = data_dir
        self.log_path = data_dir / "server.log"
        self.env = {
            **os.environ,
            "PYTHONPATH": str(REPO / "src"),
            "DATA_DIR": str(data_dir),
            "GUEST_SIGN_IN": "on",
            "LOG_LEVEL": "warning",
            **(env or {}),
        }
        self.process: subprocess.Popen[bytes] | None = None
        self._log: Any = None

    def start(self) -> LiveServer:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self._log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "crowdsource",
                "serve",
                "--host",
                self.host,
                "--port",
                str(self.port),
            ],
            env=self.env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited: {self.log_path.read_text()}")
            try:
                if httpx2.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return self
            except httpx2.HTTPError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"server did not start: {self.log_path.read_text()}")

    def stop(self) -> None:
        if self._log is None:
            return
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()


@pytest.fixture
def live_server_factory(tmp_path: Path) -> Iterator[Callable[..., LiveServer]]:
    servers: list[LiveServer] = []

    def start(data_dir: Path | None = None, **env: str) -> LiveServer:
        server = LiveServer(data_dir or tmp_path / f"server{len(servers)}", env).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def live_server(live_server_factory: Callable[..., LiveServer]) -> LiveServer:
    return live_server_factory()


@pytest.fixture
def screenshot_dir() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


def join_as_guest(page: Any, base_url: str, name: str, next_path: str = "/") -> None:
    """Sign in through the page, the way a student would."""
    page.goto(f"{base_url}/login?next={next_path}")
    page.get_by_label("Join as a guest: your name").fill(name)
    page.get_by_role("button", name="Join").click()


def create_poll_in_page(
    page: Any, base_url: str, question: str, responses: list[str], closes: str | None = None
) -> str:
    """Fill the create form with real typing and clicks; returns the poll URL.
    `closes` is the label of a quick end time to pick, such as "In 5 minutes"."""
    page.goto(f"{base_url}/")
    if closes:
        page.get_by_label(closes).check()
    page.get_by_label("Question").fill(question)
    for index, label in enumerate(responses, start=1):
        page.get_by_label(f"Response {index}", exact=True).fill(label)
    page.get_by_role("button", name="Create poll").click()
    page.wait_for_url("**/polls/*")
    return page.url
