"""The servers under test as child processes, and what /proc says about them."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")


@dataclass(frozen=True)
class Usage:
    """CPU time (user + system) and resident memory of one process at one moment."""

    cpu_seconds: float
    rss_bytes: int

    def __sub__(self, other: Usage) -> Usage:
        return Usage(self.cpu_seconds - other.cpu_seconds, self.rss_bytes - other.rss_bytes)


def usage(pid: int) -> Usage:
    """Read /proc/<pid>/stat (utime, stime) and /proc/<pid>/status (VmRSS)."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat[stat.rindex(")") + 2 :].split()  # the command name may contain spaces
    utime, stime = int(fields[11]), int(fields[12])
    rss = 0
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            rss = int(line.split()[1]) * 1024
    return Usage((utime + stime) / CLOCK_TICKS, rss)


def machine_cpu() -> tuple[float, float]:
    """CPU seconds the whole machine spent busy, and of those in softirq (where the kernel
    moves loopback TCP), from the first line of /proc/stat."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = values[:8]
    busy = user + nice + system + irq + softirq + steal
    return busy / CLOCK_TICKS, softirq / CLOCK_TICKS


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """One server process on 127.0.0.1; its output goes to a log file."""

    def __init__(self, command: list[str], env: dict[str, str], port: int, log: Path) -> None:
        self.command = command
        self.env = env
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.log_path = log
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def usage(self) -> Usage:
        return usage(self.pid)

    def start(self, ready_path: str, timeout: float = 30.0) -> Server:
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(  # the Python process itself: /proc is its own
                self.command, env=self.env, stdout=log, stderr=subprocess.STDOUT, cwd=REPO
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited early; see {self.log_path}")
            try:
                with urllib.request.urlopen(self.url + ready_path, timeout=2) as response:
                    if response.status == 200:
                        return self
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.1)
        raise RuntimeError(f"server not ready after {timeout:.0f} s; see {self.log_path}")

    def stop(self) -> None:
        """SIGINT first (uvicorn shuts down cleanly and a profiler writes its file)."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def crowdsource_server(
    data_dir: Path,
    secret: str,
    *,
    deflate: bool,
    src: Path = REPO / "src",
    sqlite_params: str = "",
    profile: Path | None = None,
    redis_url: str | None = None,
    public_url: str | None = None,
    name: str = "server",
    port: int | None = None,
) -> Server:
    """`python -m crowdsource serve` on a free port, guests on, the code from `src` (this
    checkout's by default). `sqlite_params` go into DATABASE_URL's query string, which
    Tortoise turns into SQLite pragmas (`synchronous=NORMAL`). Several processes on one
    DATA_DIR share its SQLite file; with `redis_url` they hear each other's changes, and one
    `public_url` for all of them makes the same Origin valid on each. The log is `name`.log."""
    port = port or free_port()
    env = {
        **os.environ,
        "PYTHONPATH": str(src),
        "DATA_DIR": str(data_dir),
        "SECRET_KEY": secret,
        "GUEST_SIGN_IN": "on",
        "LOG_LEVEL": "warning",
        "CROWDSOURCE_WS_DEFLATE": "on" if deflate else "off",
        # Every bench socket comes from 127.0.0.1: lift the per-address limits so the
        # bench measures fan-out, not the limiter (the defaults allow 1,000 sockets).
        "SOCKETS_PER_ADDRESS": "100000",
        "SIGN_INS_PER_MINUTE": "100000",
        "VOTES_PER_SECOND": "1000",
    }
    for unwanted in ("DATABASE_URL", "REDIS_URL", "PUBLIC_URL"):
        env.pop(unwanted, None)
    if sqlite_params:
        env["DATABASE_URL"] = f"sqlite://{data_dir / 'crowdsource.sqlite3'}?{sqlite_params}"
    if redis_url:
        env["REDIS_URL"] = redis_url
    if public_url:
        env["PUBLIC_URL"] = public_url
    python = [sys.executable]
    if profile is not None:
        python += ["-m", "cProfile", "-o", str(profile)]
    command = [*python, "-m", "crowdsource", "serve", "--port", str(port)]
    return Server(command, env, port, data_dir / f"{name}.log")


def naive_server(log_dir: Path, *, deflate: bool) -> Server:
    """bench/naive_broadcast.py: one fixed 3 KB string to every socket per incoming message."""
    port = free_port()
    command = [sys.executable, str(REPO / "bench" / "naive_broadcast.py"), "--port", str(port)]
    if deflate:
        command.append("--deflate")
    return Server(command, dict(os.environ), port, log_dir / "naive.log")
