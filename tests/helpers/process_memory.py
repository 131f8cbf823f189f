"""A process's memory as Linux counts it (/proc/PID/status), for tests that bound growth."""

from __future__ import annotations

from pathlib import Path


def memory_kib(pid: int, field: str) -> int:
    """`VmRSS` (resident now) or `VmHWM` (the peak resident so far), in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name == field:
            return int(value.split()[0])
    raise KeyError(field)
