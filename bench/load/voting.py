"""The measured phase: every voter's schedule, with the server restarted part-way."""

from __future__ import annotations

import asyncio
import sys
import time
from dataclasses import dataclass

from bench.common.crowd import quiet
from bench.load.options import FINISH_GRACE
from bench.load.restart import Restart, restart
from bench.load.setup import Run


@dataclass(frozen=True)
class Phase:
    """The voting phase: its restart, wall time, and CPU seconds of server and generator."""

    steps: Restart
    restart_after: float
    wall: float
    server_cpu: float
    client_cpu: float


async def vote_with_restart(run: Run) -> Phase:
    """Every voter's schedule, with the restart at `restart_at` of it."""
    sizes = run.sizes
    run.monitor.start()
    cpu_before, client_before = run.monitor.cpu_seconds, time.process_time()
    start = time.perf_counter() + 0.5
    tasks = [asyncio.create_task(voter.run(run.ballot, start)) for voter in run.voters]

    async def restart_later() -> Restart:
        await asyncio.sleep(max(0.0, start + sizes.restart_s - time.perf_counter()))
        print("Restarting the server …", flush=True)
        return await restart(run.server, run.monitor, run.pages)

    steps = await restart_later()
    print("Server back; voting goes on …", flush=True)
    finished, unfinished = await asyncio.wait(tasks, timeout=sizes.seconds + FINISH_GRACE)
    for task in unfinished:
        task.cancel()
    failed = [task for task in finished if task.exception() is not None]
    if failed:
        print(f"{len(failed)} voter(s) failed; the first:", file=sys.stderr)
        failed[0].print_stack()
    wall = time.perf_counter() - start
    await quiet(1.0, limit=60)
    await asyncio.sleep(1.0)
    run.monitor.sample()
    server_cpu = run.monitor.cpu_seconds - cpu_before
    client_cpu = time.process_time() - client_before
    return Phase(steps, steps.sigterm_at - start, wall, server_cpu, client_cpu)
