"""The targets of issue 3 (fan-out), issue 14 (rooms) and issue 18 (a school on one box),
each with a verdict against the measured figures."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from bench.fanout.rows import Figures, cell


@dataclass(frozen=True)
class IssueTarget:
    text: str
    key: str
    passed: Callable[[float], bool]
    digits: int = 0


def issue_targets(ours: Figures, sizes: Mapping[str, float]) -> list[IssueTarget]:
    burst_voters = sizes["burst_voters"]
    return [
        IssueTarget(
            "steady p99 vote → last viewer ≤ 150 ms", "steady.latency_p99_ms", lambda v: v <= 150
        ),
        IssueTarget(
            f"burst: results.json total = {burst_voters:,}",
            "burst.stored_total",
            lambda v: v == burst_voters,
        ),
        IssueTarget(
            "burst: every viewer shows the final total (viewers behind)",
            "burst.viewers_behind",
            lambda v: v == 0,
        ),
        IssueTarget(
            "burst: settled ≤ 1 s after the last vote", "burst.settle_ms", lambda v: v <= 1000
        ),
        IssueTarget(
            "burst: ≤ ~20 messages per viewer per second",
            "burst.peak_messages_per_s",
            lambda v: v <= 22,
        ),
        IssueTarget(
            f"{sizes['crowd_viewers']:,} viewers: settled ≤ 2 s",
            "crowd.settle_ms",
            lambda v: v <= 2000,
        ),
        IssueTarget(
            "≤ 60 KB per idle connection", "crowd.rss_per_connection_kb", lambda v: v <= 60, 1
        ),
        IssueTarget(
            f"≤ 2 KB per viewer per update at {sizes['warm']} and at {burst_voters:,} votes",
            "burst.update_bytes",
            lambda v: v <= 2048 and (ours.get("steady.update_bytes") or 1e9) <= 2048,
        ),
        IssueTarget(
            f"room (issue 14): launch → all {sizes['room_students']:,} students p99 ≤ 300 ms",
            "room.launch_p99_ms",
            lambda v: v <= 300,
        ),
        IssueTarget(
            "room: every student's vote shown everywhere ≤ 1 s after the last (worst launch)",
            "room.settle_max_ms",
            lambda v: v <= 1000,
        ),
        *school_targets(sizes),
    ]


def school_targets(sizes: Mapping[str, float]) -> list[IssueTarget]:
    """Issue 18's school on one box: the latency within each room, and every total exact."""
    rooms, students = sizes["school_rooms"], sizes["school_students"]
    return [
        IssueTarget(
            f"school (issue 18): {rooms:,} rooms x {students:,}: p99 vote → last socket of "
            "its room ≤ 150 ms",
            "school.latency_p99_ms",
            lambda v: v <= 150,
        ),
        IssueTarget(
            "school: every room's total exact (rooms where stored, cast and shown differ)",
            "school.rooms_off",
            lambda v: v == 0,
        ),
    ]


def school_verdict(ours: Figures, sizes: Mapping[str, float]) -> str:
    """PASS when the school ran and met both of its targets, FAIL otherwise."""
    values = [(target, ours.get(target.key)) for target in school_targets(sizes)]
    passed = all(
        isinstance(value, int | float) and target.passed(value) for target, value in values
    )
    return f"- a school on one box: {'PASS' if passed else 'FAIL'}"


def verdicts(
    results: Mapping[str, Figures], sizes: Mapping[str, float], server: str = "crowdsource"
) -> list[str]:
    """The issue's targets against the measured figures of one server."""
    ours = results.get(server, {})
    naive = results.get("naive" + server.removeprefix("crowdsource"), {})
    lines = []
    for target in issue_targets(ours, sizes):
        value = ours.get(target.key)
        if isinstance(value, str):
            lines.append(f"- {target.text}: {value} → MISSED")
            continue
        if not isinstance(value, int | float):
            lines.append(f"- {target.text}: not measured")
            continue
        verdict = "met" if target.passed(value) else "MISSED"
        lines.append(f"- {target.text}: {cell(value, target.digits)} → {verdict}")
    ours_settle, naive_settle = ours.get("burst.settle_ms"), naive.get("burst.settle_ms")
    if isinstance(ours_settle, int | float) and isinstance(naive_settle, int | float):
        factor = naive_settle / max(ours_settle, 1e-9)
        verdict = "met" if factor >= 10 else "MISSED"
        lines.append(f"- burst settles ≥ 10x faster than naive: {factor:,.1f}x → {verdict}")
    else:
        lines.append("- burst settles ≥ 10x faster than naive: not measured")
    if "school.latency_p99_ms" in ours:
        lines.append(school_verdict(ours, sizes))
    return lines
