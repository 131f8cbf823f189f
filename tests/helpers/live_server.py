"""Real server processes on 127.0.0.1: any command (`ServerProcess`) or `crowdsource serve`
itself (`LiveServer`), for browser and multi-process tests and for bench/."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Self

import httpx2

from tests.helpers.services import free_port

REPO = Path(__file__).resolve().parents[2]
STARTUP_TIMEOUT = 30.0
STOP_TIMEOUT = 15.0


class ServerProcess:
    """`command` as a child process answering HTTP on `host:port`, its output appended to
    `log_path`. `start()` waits until `ready_path` answers 200; after `stop()` it may start
    again on the same port (a restart), the log keeping both runs."""

    def __init__(
        self,
        command: Sequence[str],
        env: dict[str, str],
        port: int,
        log_path: Path,
        *,
        host: str = "127.0.0.1",
        ready_path: str = "/healthz",
    ) -> None:
        self.command = list(command)
        self.env = env
        self.host = host
        self.port = port
        self.url = f"http://{host}:{port}"
        self.log_path = log_path
        self.ready_path = ready_path
        self.process: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None

    @property
    def ws_url(self) -> str:
        return "ws" + self.url.removeprefix("http")

    @property
    def pid(self) -> int:
        assert self.process is not None, "launch() first"
        return self.process.pid

    def start(self) -> Self:
        return self.launch().wait_until_ready()

    def launch(self) -> Self:
        """Start the process without waiting for it (start several, then wait for each)."""
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self._log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            self.command, env=self.env, stdout=self._log, stderr=subprocess.STDOUT
        )
        return self

    def wait_until_ready(self, timeout: float = STARTUP_TIMEOUT) -> Self:
        assert self.process is not None, "launch() first"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited: {self.log()}")
            try:
                if httpx2.get(self.url + self.ready_path, timeout=1).status_code == 200:
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

    def stop(self, how: signal.Signals = signal.SIGTERM, timeout: float = STOP_TIMEOUT) -> None:
        """Ask for a graceful shutdown (SIGTERM, or `how`); kill it when that takes longer
        than `timeout` seconds. After the process has exited by itself, only closes the log."""
        if self._log is None:
            return
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(how)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()
        self._log = None


class LiveServer(ServerProcess):
    """`python -m crowdsource serve` with its own data folder and this checkout's `src/`;
    `env` adds to (or overrides) the process environment. `port` is a free one unless given;
    `interpreter` replaces the plain Python (`python -m cProfile -o FILE`, say); `workers`
    more than 1 needs REDIS_URL in `env`."""

    def __init__(
        self,
        data_dir: Path,
        env: dict[str, str] | None = None,
        host: str = "127.0.0.1",
        *,
        port: int | None = None,
        interpreter: Sequence[str] = (sys.executable,),
        log_name: str = "server.log",
        workers: int = 1,
    ) -> None:
        port = port or free_port(host)
        command = [*interpreter, "-m", "crowdsource", "serve", "--host", host, "--port", str(port)]
        if workers > 1:
            command += ["--workers", str(workers)]
        environment = {
            **os.environ,
            "PYTHONPATH": str(REPO / "src"),
            "DATA_DIR": str(data_dir),
            "GUEST_SIGN_IN": "on",
            "LOG_LEVEL": "warning",
            **(env or {}),
        }
        super().__init__(command, environment, port, data_dir / log_name, host=host)
        self.data_dir = data_dir
