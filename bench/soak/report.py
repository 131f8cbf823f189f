"""The soak's summary: memory, collections, what the load did, and the verdict."""

from __future__ import annotations

from collections import Counter
from typing import Any

from bench.soak.monitor import Sample


def memory_lines(samples: list[Sample], peak_bytes: int) -> list[str]:
    """RSS at the start, a third of the way (after warm-up), at the end, and the peak."""
    third = samples[len(samples) // 3]
    mb = 2**20
    return [
        f"RSS: idle {samples[0].rss_bytes / mb:.1f} MB, at {third.elapsed:.0f} s "
        f"{third.rss_bytes / mb:.1f} MB, at rest {samples[-1].rss_bytes / mb:.1f} MB, "
        f"peak {peak_bytes / mb:.1f} MB; growth after warm-up "
        f"{(samples[-1].rss_bytes - third.rss_bytes) / mb:+.1f} MB",
    ]


def gc_lines(probe: dict[str, Any]) -> list[str]:
    lines = [
        f"gc: thresholds {tuple(probe['gc_threshold'])}, {probe['gc_frozen']:,} objects frozen"
    ]
    for number, generation in enumerate(probe["gc"]):
        count = generation["count"]
        mean = generation["total_ms"] / count if count else 0.0
        lines.append(
            f"  gen {number}: {count:,} collections, {generation['total_ms']:.0f} ms in all, "
            f"mean {mean:.2f} ms, max {generation['max_ms']:.1f} ms "
            f"(CPU {generation['cpu_total_ms']:.0f} ms, max {generation['cpu_max_ms']:.1f}), "
            f">10 ms {generation['over_10ms']}, >50 ms {generation['over_50ms']}, "
            f"{generation['collected']:,} objects freed"
        )
    return lines


def load_line(done: Counter[str], minutes: float) -> str:
    parts = ", ".join(f"{count:,} {name}" for name, count in sorted(done.items()))
    return f"Load in {minutes:g} min: {parts}"
