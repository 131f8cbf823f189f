"""What /proc says about a process (CPU time, memory) and about the whole machine's CPU."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Usage:
    """CPU time (user + system) and resident memory of one process at one moment."""

    cpu_seconds: float
    rss_bytes: int

    def __sub__(self, other: Usage) -> Usage:
        return Usage(self.cpu_seconds - other.cpu_seconds, self.rss_bytes - other.rss_bytes)


def status_bytes(pid: int, field: str) -> int:
    """One `field:` line of /proc/<pid>/status (VmRSS, VmHWM, …) in bytes; 0 when absent."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) * 1024
    return 0


def usage(pid: int) -> Usage:
    """Read /proc/<pid>/stat (utime, stime) and /proc/<pid>/status (VmRSS)."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat[stat.rindex(")") + 2 :].split()  # the command name may contain spaces
    utime, stime = int(fields[11]), int(fields[12])
    return Usage((utime + stime) / CLOCK_TICKS, status_bytes(pid, "VmRSS"))


def peak_rss(pid: int) -> int:
    """VmHWM: the most resident memory the process ever had, in bytes."""
    return status_bytes(pid, "VmHWM")


def machine_cpu() -> tuple[float, float, float]:
    """CPU seconds the whole machine spent busy, of those in softirq (where the kernel moves
    loopback TCP), and stolen (a virtual machine's CPUs running its host's other guests),
    from the first line of /proc/stat."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = values[:8]
    busy = user + nice + system + irq + softirq + steal
    return busy / CLOCK_TICKS, softirq / CLOCK_TICKS, steal / CLOCK_TICKS


def children(pid: int) -> list[int]:
    """The processes whose parent is `pid` (a PostgreSQL server's backends), now."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # gone meanwhile
            continue
        if int(stat[stat.rindex(")") + 2 :].split()[1]) == pid:
            found.append(int(entry.name))
    return found


def tree_cpu(pid: int) -> float:
    """CPU seconds of `pid` and of its children now (a backend that exited meanwhile takes
    its share with it: counted low, never high)."""
    total = 0.0
    for each in (pid, *children(pid)):
        try:
            total += usage(each).cpu_seconds
        except OSError:
            continue
    return total
