"""At rest after the load: every socket, task, timer and map back to its floor."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

from bench.soak.monitor import Monitor, Sample

# What may stay once every socket is gone: the close scheduler's sweep task, and the
# loopback address's sign-in and poll-creation buckets (full again only after 30 s).
MAP_FLOORS = {"close_tasks": 1, "buckets_sign_ins": 1, "buckets_polls": 1}
EXTRA_TASKS = 2  # beyond the idle server's: a request in flight, a timer's close
EXTRA_FDS = 4  # beyond the idle server's: the database file's WAL and shared memory


@dataclass
class Verdict:
    rest: Sample
    problems: list[str]

    @property
    def passed(self) -> bool:
        return not self.problems


def problems_at(rest: Sample, baseline: Sample) -> list[str]:
    found = [
        f"{name} = {size} (floor {MAP_FLOORS.get(name, 0)})"
        for name, size in rest.maps.items()
        if size > MAP_FLOORS.get(name, 0)
    ]
    if rest.probe["tasks"] > baseline.probe["tasks"] + EXTRA_TASKS:
        found.append(f"tasks = {rest.probe['tasks']} (idle server: {baseline.probe['tasks']})")
    if rest.fds > baseline.fds + EXTRA_FDS:
        found.append(f"file descriptors = {rest.fds} (idle server: {baseline.fds})")
    return found


async def settle(monitor: Monitor, baseline: Sample, *, within: float) -> Verdict:
    """Sample once a second until nothing is above its floor, or `within` seconds passed."""
    deadline = time.monotonic() + within
    while True:
        rest = await monitor.take()
        problems = problems_at(rest, baseline)
        if not problems or time.monotonic() > deadline:
            return Verdict(rest, problems)
        await asyncio.sleep(1.0)


def log_errors(log: str) -> list[str]:
    """Lines of the server log that report an error (the server runs at LOG_LEVEL=warning)."""
    return [line for line in log.splitlines() if "Traceback" in line or "ERROR" in line]
