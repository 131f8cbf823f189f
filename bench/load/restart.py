"""The server's side of the load test: restart it gracefully in the middle, and watch the CPU
and memory of every process it ran as."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from bench.common.procfs import peak_rss, usage
from bench.load.pages import Page
from tests.helpers.live_server import LiveServer

SAMPLE_SECONDS = 0.5
SHUTDOWN_TIMEOUT = 60.0
BACK_TIMEOUT = 180.0


@dataclass
class Monitor:
    """Samples the server process(es) while the test runs: a process's last sample stands for
    its CPU time (the old process is sampled just before SIGTERM)."""

    server: LiveServer
    cpu: dict[int, float] = field(default_factory=dict)
    rss: dict[int, int] = field(default_factory=dict)
    peak: dict[int, int] = field(default_factory=dict)
    _task: asyncio.Task[None] | None = None

    def sample(self) -> None:
        pid = self.server.pid
        with contextlib.suppress(FileNotFoundError, ProcessLookupError):
            now = usage(pid)
            self.cpu[pid] = now.cpu_seconds
            self.rss[pid] = now.rss_bytes
            self.peak[pid] = peak_rss(pid)

    def start(self) -> None:
        async def loop() -> None:
            while True:
                self.sample()
                await asyncio.sleep(SAMPLE_SECONDS)

        self._task = asyncio.create_task(loop())

    async def stop(self) -> None:
        self.sample()
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    @property
    def cpu_seconds(self) -> float:
        return sum(self.cpu.values())


@dataclass
class Restart:
    """When each step of the restart happened (perf_counter seconds)."""

    sigterm_at: float = 0.0
    exited_at: float = 0.0
    ready_at: float = 0.0
    all_back_at: float = 0.0
    exit_code: int | None = None
    resync_delays: list[float] = field(default_factory=list)  # ready -> page's full state
    served_in: list[float] = field(default_factory=list)  # successful attempt -> full state
    pages_not_back: int = 0

    @property
    def shutdown_s(self) -> float:
        return self.exited_at - self.sigterm_at

    @property
    def start_s(self) -> float:
        return self.ready_at - self.exited_at

    @property
    def back_s(self) -> float:
        """Ready -> every page has its new socket and the full state on it."""
        return self.all_back_at - self.ready_at if self.all_back_at else float("nan")


def back(page: Page, since: float) -> bool:
    return page.is_open and page.synced_at > since


async def restart(server: LiveServer, monitor: Monitor, pages: Sequence[Page]) -> Restart:
    """SIGTERM, wait for the process to exit, start it again on the same port and data
    folder, then wait until every page has reconnected and resynchronised."""
    assert server.process is not None
    steps = Restart()
    monitor.sample()
    steps.sigterm_at = time.perf_counter()
    server.process.send_signal(signal.SIGTERM)
    steps.exit_code = await asyncio.to_thread(server.process.wait, SHUTDOWN_TIMEOUT)
    steps.exited_at = time.perf_counter()
    server.stop()  # it has exited: this only closes the old run's log
    await asyncio.to_thread(server.start)
    steps.ready_at = time.perf_counter()
    deadline = steps.ready_at + BACK_TIMEOUT
    while time.perf_counter() < deadline:
        if all(back(page, steps.sigterm_at) for page in pages):
            steps.all_back_at = time.perf_counter()
            break
        await asyncio.sleep(0.05)
    steps.pages_not_back = sum(not back(page, steps.sigterm_at) for page in pages)
    steps.served_in = [
        page.synced_at - page.attempted_at for page in pages if back(page, steps.sigterm_at)
    ]
    steps.resync_delays = [
        max(0.0, page.synced_at - steps.ready_at) for page in pages if back(page, steps.sigterm_at)
    ]
    return steps
