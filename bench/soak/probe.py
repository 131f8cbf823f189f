"""What the soak's server reports about itself: the sizes of every long-lived map, its
asyncio tasks, and each garbage collection's pause. Reads the app's internals on purpose
(tests/test_bench_setup.py runs it against a real app, so a rename fails in the suite)."""

from __future__ import annotations

import asyncio
import gc
import time
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

PROBE_PATH = "/_soak/probe"


def map_sizes(app: Starlette) -> dict[str, int]:
    """Every map, set and queue that lives as long as the process, by name."""
    state = app.state
    publisher = state.publisher
    presence = publisher.presence
    groups = publisher.hub.groups()
    limits = state.limits
    return {
        "sockets": sum(publisher.hub.count(group) for group in groups),
        "hub_groups": len(groups),
        "snapshots": len(publisher.snapshots),
        "dirty": len(publisher._dirty),
        "dirty_rooms": len(publisher._dirty_rooms),
        "room_views": len(publisher.stages.rooms()),
        "presence_pending": len(presence._pending),
        "presence_sent": len(presence._sent_at),
        "presence_shown": len(presence._shown),
        "presence_elsewhere": len(presence._elsewhere),
        "presence_reported": len(presence._reported),
        "close_timers": len(state.closing.armed),
        "close_tasks": len(state.closing._tasks),
        "vote_queue": len(state.poll_commands._ballot_box._queue),
        "buckets_votes": limits.votes.size(),
        "buckets_sign_ins": limits.sign_ins.size(),
        "buckets_polls": limits.poll_creations.size(),
        "socket_addresses": limits.sockets.size(),
    }


@dataclass
class Generation:
    """Collections of one generation: how many, their pauses (wall clock, and the CPU time
    of the collecting thread, which a busy machine does not inflate), and what they freed."""

    count: int = 0
    total_ms: float = 0.0
    max_ms: float = 0.0
    cpu_total_ms: float = 0.0
    cpu_max_ms: float = 0.0
    over_10ms: int = 0
    over_50ms: int = 0
    collected: int = 0

    def add(self, pause_ms: float, cpu_ms: float, collected: int) -> None:
        self.count += 1
        self.total_ms += pause_ms
        self.max_ms = max(self.max_ms, pause_ms)
        self.cpu_total_ms += cpu_ms
        self.cpu_max_ms = max(self.cpu_max_ms, cpu_ms)
        self.over_10ms += pause_ms > 10
        self.over_50ms += pause_ms > 50
        self.collected += collected


@dataclass
class Pauses:
    """Times every collection through `gc.callbacks` (start and stop of each)."""

    generations: list[Generation] = field(default_factory=lambda: [Generation() for _ in "012"])
    since_freeze: bool = False  # count only once the app has frozen its start-up heap
    _frozen: bool = False  # it has: from then on, not asked again
    _started: float = 0.0
    _started_cpu: float = 0.0

    def install(self) -> None:
        gc.callbacks.append(self._callback)

    def _callback(self, phase: str, info: dict[str, Any]) -> None:
        if self.since_freeze and not self._frozen:
            # Asked until the heap is frozen, never after: `gc.get_freeze_count()` walks
            # every frozen object (88,000 in the server, 2 to 6 ms). Asked at the start and
            # the stop of every collection, it was the server's CPU in every stage, and the
            # stop's inside the pause measured.
            self._frozen = gc.get_freeze_count() > 0
            if not self._frozen:
                return
        if phase == "start":
            self._started, self._started_cpu = time.perf_counter(), time.thread_time()
        else:
            pause_ms = (time.perf_counter() - self._started) * 1000
            cpu_ms = (time.thread_time() - self._started_cpu) * 1000
            self.generations[info["generation"]].add(pause_ms, cpu_ms, info["collected"])

    def report(self) -> list[dict[str, float]]:
        return [vars(generation).copy() for generation in self.generations]


def add_probe(app: Starlette, pauses: Pauses) -> None:
    """`GET /_soak/probe`: the map sizes, the task count and the collections so far."""

    async def probe(request: Request) -> JSONResponse:
        return JSONResponse(
            {
                "maps": map_sizes(app),
                "tasks": len(asyncio.all_tasks()),
                "gc": pauses.report(),
                "gc_threshold": gc.get_threshold(),
                "gc_frozen": gc.get_freeze_count(),
            }
        )

    app.router.routes.insert(0, Route(PROBE_PATH, probe))
