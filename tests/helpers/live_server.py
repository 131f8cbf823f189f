"""A real `crowdsource serve` process on 127.0.0.1, for browser and multi-process tests."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import IO

import httpx2

from tests.helpers.services import free_port

REPO = Path(__file__).resolve().parents[2]
STARTUP_TIMEOUT = 30.0
STOP_TIMEOUT = 15.0


class LiveServer:
    """`python -m crowdsource serve` with its own data folder; `env` adds to (or overrides)
    the process environment. `start()` waits until `/healthz` answers; after `stop()` it may
    start again on the same port and data folder (a restart), the log keeping both runs."""

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
        self._log: IO[bytes] | None = None

    @property
    def ws_url(self) -> str:
        return "ws" + self.url.removeprefix("http")

    def start(self) -> LiveServer:
        return self.launch().wait_until_ready()

    def launch(self) -> LiveServer:
        """Start the process without waiting for it (start several, then wait for each)."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self._log = self.log_path.open("ab")
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
        return self

    def wait_until_ready(self, timeout: float = STARTUP_TIMEOUT) -> LiveServer:
        assert self.process is not None, "launch() first"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited: {self.log()}")
            try:
                if httpx2.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return self
            except httpx2.HTTPError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"server did not start: {self.log()}")

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def kill(self) -> None:
        """Die at once (SIGKILL), the way a crashed machine does: no shutdown code runs."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=STOP_TIMEOUT)

    def stop(self) -> None:
        """Ask for a graceful shutdown (SIGTERM); kill it when that takes too long."""
        if self._log is None:
            return
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()
        self._log = None
