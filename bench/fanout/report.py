"""The printed report: one table of figures per server, naive ÷ Crowdsource ratios, and the
issue's targets with a verdict each."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

Figures = Mapping[str, float | int | str | None]


@dataclass(frozen=True)
class Row:
    label: str
    key: str
    digits: int = 0
    optional: bool = False  # left out when no column has it


def connect_rows(stage: str) -> list[Row]:
    return [
        Row("all sockets open and quiet after, s", f"{stage}.connect_s", 1),
        Row("server CPU per connection, ms", f"{stage}.cpu_per_connection_ms", 2),
        Row("server memory per idle connection, KB", f"{stage}.rss_per_connection_kb", 1),
    ]


def settle_rows(stage: str) -> list[Row]:
    return [
        Row("total in results.json", f"{stage}.stored_total"),
        Row("viewers not showing the final total", f"{stage}.viewers_behind"),
        Row("settle: last vote sent → every viewer final, ms", f"{stage}.settle_ms"),
        Row("settle: last vote stored → every viewer final, ms", f"{stage}.settle_after_stored_ms"),
    ]


def machine_rows(stage: str) -> list[Row]:
    """Where the CPU went during a stage's measured phase."""
    return [
        Row("server CPU per vote, ms", f"{stage}.cpu_per_vote_ms", 2),
        Row("server CPU per delivered message, µs", f"{stage}.cpu_per_message_us", 1),
        Row("load generator CPU, % of one core", f"{stage}.client_cpu_pct"),
        Row("redis-server CPU, % of one core", f"{stage}.redis_cpu_pct", 1, optional=True),
        Row("kernel softirq (loopback TCP), % of one core", f"{stage}.softirq_cpu_pct"),
        Row("other processes on the machine, % of one core", f"{stage}.others_cpu_pct"),
    ]


SECTIONS: list[tuple[str, list[Row]]] = [
    (
        "connect {viewers} viewers + the owner's projector (steady poll)",
        [
            *connect_rows("steady"),
            Row("permessage-deflate negotiated, share of sockets", "steady.deflate_share", 2),
        ],
    ),
    (
        "steady: {viewers} viewers, {rate:g} votes/s for {seconds:g} s",
        [
            Row("vote → last viewer p50, ms", "steady.latency_p50_ms", 1),
            Row("vote → last viewer p99, ms", "steady.latency_p99_ms", 1),
            Row("vote → last viewer max, ms", "steady.latency_max_ms", 1),
            Row("vote → first viewer p50, ms", "steady.first_p50_ms", 1),
            Row("vote → first viewer p99, ms", "steady.first_p99_ms", 1),
            Row("first → last viewer (fan-out spread) p50, ms", "steady.spread_p50_ms", 1),
            Row("first → last viewer (fan-out spread) p99, ms", "steady.spread_p99_ms", 1),
            Row("votes seen by every viewer", "steady.votes_seen"),
            Row("messages per viewer", "steady.messages_per_viewer", 1),
            Row("KB per viewer (payload)", "steady.kb_per_viewer", 1),
            Row("KB per viewer on the wire", "steady.wire_kb_per_viewer", 1),
            Row("server CPU, % of one core", "steady.server_cpu_pct"),
            *machine_rows("steady"),
        ],
    ),
    (
        "one update (one vote, every viewer shows it)",
        [
            Row("bytes per viewer, poll at {warm} votes", "steady.update_bytes"),
            Row("bytes per viewer, poll at {burst_voters} votes", "burst.update_bytes"),
            Row("bytes on the wire per viewer, poll at {warm} votes", "steady.update_wire_bytes"),
            Row(
                "bytes on the wire per viewer, poll at {burst_voters} votes",
                "burst.update_wire_bytes",
            ),
            Row("messages per viewer per update", "burst.update_messages", 2),
        ],
    ),
    (
        "burst: {burst_voters} voters at once, {burst_viewers} watching",
        [
            *settle_rows("burst"),
            Row("votes/s stored (first sent → last acknowledged)", "burst.stored_per_s"),
            Row("votes/s shown (first sent → every viewer final)", "burst.shown_per_s"),
            Row("messages per viewer", "burst.messages_per_viewer", 1),
            Row("peak messages per viewer in any 1 s", "burst.peak_messages_per_s"),
            Row("KB per viewer (payload)", "burst.kb_per_viewer", 1),
            Row("KB per viewer on the wire", "burst.wire_kb_per_viewer", 1),
            Row("server CPU, s", "burst.server_cpu_s", 2),
            *machine_rows("burst"),
        ],
    ),
    (
        "{crowd_viewers} viewers connected, {crowd_voters} of them vote at once",
        [
            *connect_rows("crowd"),
            Row("server RSS with every socket idle, MB", "crowd.rss_mb", 1),
            *settle_rows("crowd"),
            Row("peak messages per viewer in any 1 s", "crowd.peak_messages_per_s"),
            *machine_rows("crowd"),
        ],
    ),
]


def cell(value: float | int | str | None, digits: int) -> str:
    if value is None:
        return "-"
    if isinstance(value, str):
        return value
    if isinstance(value, float) and math.isnan(value):
        return "-"
    return f"{value:,.{digits}f}"


def ratio(naive: float | int | str | None, ours: float | int | str | None) -> str:
    if not isinstance(naive, int | float) or not isinstance(ours, int | float) or not ours:
        return ""
    return f"{naive / ours:,.1f}x"


def columns(results: Mapping[str, Figures]) -> list[tuple[str, Callable[[str], str]]]:
    """Per deflate setting: Crowdsource, the naive floor and their ratio, for what ran."""
    found: list[tuple[str, Callable[[str], str]]] = []
    for label, suffix in (("deflate off", ""), ("deflate on", "+deflate")):
        ours = results.get(f"crowdsource{suffix}")
        naive = results.get(f"naive{suffix}")
        if ours is not None:
            found.append((f"Crowdsource ({label})", lambda key, f=ours: f.get(key)))
        for name, figures in results.items():
            process = name.removeprefix(f"crowdsource{suffix} ")
            if process != name and process.startswith("process "):
                found.append((f"{process} ({label})", lambda key, f=figures: f.get(key)))
        if naive is not None:
            found.append((f"naive ({label})", lambda key, f=naive: f.get(key)))
        if ours is not None and naive is not None:
            found.append(
                ("naive ÷ Crowdsource", lambda key, o=ours, n=naive: ratio(n.get(key), o.get(key)))
            )
    return found


def table(results: Mapping[str, Figures], sizes: Mapping[str, float]) -> str:
    """Markdown table of every figure, one column per server (and ratio) that ran."""
    chosen = columns(results)
    header = ["figure", *(name for name, _ in chosen)]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for title, rows in SECTIONS:
        lines.append(f"| **{title.format(**sizes)}** |" + " |" * (len(header) - 1))
        for row in rows:
            if row.optional and not any(value(row.key) is not None for _, value in chosen):
                continue
            cells = [row.label.format(**sizes)]
            for name, value in chosen:
                found = value(row.key)
                cells.append(found if name.startswith("naive ÷") else cell(found, row.digits))
            lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


@dataclass(frozen=True)
class Target:
    text: str
    key: str
    passed: Callable[[float], bool]
    digits: int = 0


def verdicts(
    results: Mapping[str, Figures], sizes: Mapping[str, float], server: str = "crowdsource"
) -> list[str]:
    """The issue's targets against the measured figures of one server."""
    ours = results.get(server, {})
    naive = results.get("naive" + server.removeprefix("crowdsource"), {})
    burst_voters = sizes["burst_voters"]
    targets = [
        Target(
            "steady p99 vote → last viewer ≤ 150 ms", "steady.latency_p99_ms", lambda v: v <= 150
        ),
        Target(
            f"burst: results.json total = {burst_voters:,}",
            "burst.stored_total",
            lambda v: v == burst_voters,
        ),
        Target(
            "burst: every viewer shows the final total (viewers behind)",
            "burst.viewers_behind",
            lambda v: v == 0,
        ),
        Target("burst: settled ≤ 1 s after the last vote", "burst.settle_ms", lambda v: v <= 1000),
        Target(
            "burst: ≤ ~20 messages per viewer per second",
            "burst.peak_messages_per_s",
            lambda v: v <= 22,
        ),
        Target(
            f"{sizes['crowd_viewers']:,} viewers: settled ≤ 2 s",
            "crowd.settle_ms",
            lambda v: v <= 2000,
        ),
        Target("≤ 60 KB per idle connection", "crowd.rss_per_connection_kb", lambda v: v <= 60, 1),
        Target(
            f"≤ 2 KB per viewer per update at {sizes['warm']} and at {burst_voters:,} votes",
            "burst.update_bytes",
            lambda v: v <= 2048 and (ours.get("steady.update_bytes") or 1e9) <= 2048,
        ),
    ]
    lines = []
    for target in targets:
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
    return lines


def percentile(values: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile; NaN for no values."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


def disturbances(results: Mapping[str, Figures], limit: float = 20.0) -> list[str]:
    """Stages during which other processes used more than `limit` % of a core: their
    figures are not to be trusted (run again on a quiet machine)."""
    return [
        f"- {server} {key.split('.')[0]}: other processes used {value:.0f} % of a core"
        for server, figures in results.items()
        for key, value in figures.items()
        if key.endswith(".others_cpu_pct") and isinstance(value, int | float) and value > limit
    ]
