"""Where the CPU went and what the viewers received over one measured phase, for all server
processes together and for each one."""

from __future__ import annotations

import time
from collections.abc import Sequence

from bench.common.crowd import Viewer
from bench.common.phase_profile import START, STOP
from bench.common.procfs import machine_cpu, tree_cpu, usage
from bench.fanout.live import Live
from bench.fanout.options import Figures
from tests.helpers.live_server import ServerProcess


def per_group(overall: Figures, groups: dict[str, Figures]) -> Figures:
    """One stage's figures: both processes together under the plain keys, each process's
    under `process X|key` (run_target makes a column of each)."""
    return overall | {
        f"{name}|{key}": value for name, figures in groups.items() for key, value in figures.items()
    }


def database_cpu(live: Live) -> float:
    """CPU seconds PostgreSQL's server and backends have used so far (0 on SQLite, whose work
    is inside the server's own process)."""
    return tree_cpu(live.database_pid) if live.database_pid else 0.0


class Meter:
    """Where the machine's CPU went over one phase: the server process(es) (with PostgreSQL's
    when there is one), redis-server when there is one, this process (the load generator),
    the kernel's softirq (loopback TCP), the time the hypervisor gave this VM's CPUs to other
    guests (steal) and everything else (other processes). A busy neighbour, in the VM or on
    its host, makes a run noisy: both are printed."""

    def __init__(self, live: Live) -> None:
        self.live = live
        self.usage = {server.pid: usage(server.pid) for server in live.servers}
        self.redis = usage(live.redis_pid).cpu_seconds if live.redis_pid else 0.0
        self.database = database_cpu(live)
        self.client = time.process_time()
        self.machine, self.softirq, self.steal = machine_cpu()
        self.wall = time.perf_counter()
        live.profile(START)

    def _spent(self, servers: Sequence[ServerProcess]) -> float:
        return sum((usage(server.pid) - self.usage[server.pid]).cpu_seconds for server in servers)

    def figures(self, votes: int) -> Figures:
        self.live.profile(STOP)
        wall = time.perf_counter() - self.wall
        # PostgreSQL's work is the server's, as SQLite's is inside the server's process.
        database = database_cpu(self.live) - self.database
        spent = self._spent(self.live.servers) + database
        client = time.process_time() - self.client
        machine, softirq, steal = machine_cpu()
        machine, softirq = machine - self.machine, softirq - self.softirq
        steal -= self.steal
        redis = usage(self.live.redis_pid).cpu_seconds - self.redis if self.live.redis_pid else 0
        read = sum(viewer.messages for viewer in self.live.crowd.viewers)
        shared = {
            "client_cpu_pct": 100 * client / wall,
            # The load generator reads every socket on one core: what it spends per message
            # is in each "vote → last viewer" as well (1,000 messages per vote).
            "client_message_us": 1e6 * client / read if read else None,
            "softirq_cpu_pct": 100 * softirq / wall,
            "steal_cpu_pct": 100 * steal / wall,
            "others_cpu_pct": max(
                0.0, 100 * (machine - softirq - steal - spent - client - redis) / wall
            ),
        }
        if self.live.redis_pid:
            shared["redis_cpu_pct"] = 100 * redis / wall
        if self.live.database_pid:
            shared["database_cpu_pct"] = 100 * database / wall
        overall = self._served(self.live.crowd.viewers, spent, votes, wall) | shared
        groups = {
            name: self._served(viewers, self._spent([server]), votes, wall) | shared
            for name, (server, viewers) in self.live.groups().items()
            if viewers  # the school's rooms have addresses of their own: all processes together
        }
        return per_group(overall, groups)

    @staticmethod
    def _served(viewers: Sequence[Viewer], spent: float, votes: int, wall: float) -> Figures:
        messages = sum(viewer.messages for viewer in viewers)
        return {
            "messages_per_viewer": messages / len(viewers),
            "kb_per_viewer": sum(viewer.bytes for viewer in viewers) / len(viewers) / 1024,
            "wire_kb_per_viewer": sum(v.wire_bytes for v in viewers) / len(viewers) / 1024,
            "server_cpu_s": spent,
            "cpu_per_vote_ms": 1000 * spent / votes,
            "cpu_per_message_us": 1e6 * spent / messages if messages else None,
            "server_cpu_pct": 100 * spent / wall,
        }
