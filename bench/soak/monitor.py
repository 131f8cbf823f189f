"""Samples the server over time: RSS and file descriptors from /proc, everything else from
the soak's probe route; prints one row per sample."""

from __future__ import annotations

import asyncio
import json
import os
import time
import urllib.request
from dataclasses import dataclass, field
from typing import Any

from bench.common.procfs import peak_rss, status_bytes
from bench.soak.options import REQUEST_TIMEOUT
from bench.soak.probe import PROBE_PATH

COLUMNS = (
    ("s", "elapsed"),
    ("RSS MB", "rss_mb"),
    ("fds", "fds"),
    ("tasks", "tasks"),
    ("socks", "sockets"),
    ("groups", "hub_groups"),
    ("snaps", "snapshots"),
    ("dirty", "dirty"),
    ("pres", "presence"),
    ("timers", "close_timers"),
    ("vbuckets", "buckets_votes"),
    ("queue", "vote_queue"),
    ("gc2", "gc2"),
    ("gc max ms", "gc_max_ms"),
)


@dataclass
class Sample:
    elapsed: float
    rss_bytes: int
    fds: int
    probe: dict[str, Any]

    @property
    def maps(self) -> dict[str, int]:
        return self.probe["maps"]

    def row(self) -> dict[str, float]:
        generations = self.probe["gc"]
        maps = self.maps
        presence = sum(v for k, v in maps.items() if k.startswith("presence_"))
        return {
            "elapsed": round(self.elapsed),
            "rss_mb": round(self.rss_bytes / 2**20, 1),
            "fds": self.fds,
            "tasks": self.probe["tasks"],
            **maps,
            "presence": presence,
            "gc2": generations[2]["count"],
            "gc_max_ms": round(max(g["max_ms"] for g in generations), 1),
        }


def read_probe(base_url: str) -> dict[str, Any]:
    with urllib.request.urlopen(base_url + PROBE_PATH, timeout=REQUEST_TIMEOUT) as response:
        return json.loads(response.read())


def sample(pid: int, base_url: str, started: float) -> Sample:
    fds = len(os.listdir(f"/proc/{pid}/fd"))
    return Sample(time.monotonic() - started, status_bytes(pid, "VmRSS"), fds, read_probe(base_url))


def header() -> str:
    return "  ".join(f"{title:>{max(len(title), 5)}}" for title, _ in COLUMNS)


def line(row: dict[str, float]) -> str:
    return "  ".join(f"{row[key]:>{max(len(title), 5)}}" for title, key in COLUMNS)


@dataclass
class Monitor:
    """Samples every `every` seconds until stopped; `samples` keeps them all."""

    pid: int
    base_url: str
    every: float
    started: float = field(default_factory=time.monotonic)
    samples: list[Sample] = field(default_factory=list)

    async def take(self) -> Sample:
        taken = await asyncio.to_thread(sample, self.pid, self.base_url, self.started)
        self.samples.append(taken)
        print(line(taken.row()), flush=True)
        return taken

    async def run(self) -> None:
        print(header(), flush=True)
        while True:
            await self.take()
            await asyncio.sleep(self.every)

    def peak_rss(self) -> int:
        return peak_rss(self.pid)
