"""The printed figures of the load test: one Markdown table, section by section."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

from bench.common.stats import percentile
from bench.load.check import Verdict
from bench.load.options import Sizes
from bench.load.pages import Page
from bench.load.restart import Monitor, Restart
from bench.load.voters import ACK_TIMEOUT, FORM, SOCKET, Attempt, Voter
from bench.load.voting import Phase

Rows = list[tuple[str, str]]
# `crowdsource serve` prints it once uvicorn's graceful shutdown has run (a failed one logs ERROR).
SHUTDOWN_DONE = "Crowdsource stopped."


def count(attempts: Sequence[Attempt], outcome: str | None, channel: str | None = None) -> int:
    return sum(outcome in (None, a.outcome) and channel in (None, a.channel) for a in attempts)


def split(attempts: Sequence[Attempt], outcome: str | None) -> str:
    """`socket / form` counts of one outcome."""
    return f"{count(attempts, outcome, SOCKET):,} / {count(attempts, outcome, FORM):,}"


def ms(values: Sequence[float], fraction: float) -> str:
    value = percentile([1000 * v for v in values], fraction)
    return "-" if math.isnan(value) else f"{value:,.0f}"


def spread(values: Sequence[float]) -> str:
    return f"{ms(values, 0.5)} / {ms(values, 0.99)} / {ms(values, 1.0)}"


def per_choice(counts: dict[str, int]) -> str:
    return " + ".join(f"{v:,}" for _, v in sorted(counts.items(), key=lambda kv: int(kv[0])))


def vote_rows(voters: Sequence[Voter], scheduled: int, steps: Restart) -> Rows:
    attempts = [a for voter in voters for a in voter.attempts]
    in_flight = [a for a in attempts if a.sent_at < steps.sigterm_at <= a.answered_at]
    others = Counter(a.outcome for a in attempts if a.outcome.startswith("http"))
    waits = {ch: [w for v in voters if v.channel == ch for w in v.waits] for ch in (SOCKET, FORM)}
    acked_in_flight = count(in_flight, "ok")
    return [
        ("**votes** (socket / form where split)", ""),
        (
            "votes acknowledged / scheduled",
            f"{sum(len(v.waits) for v in voters):,} / {scheduled:,}",
        ),
        ("attempts sent", split(attempts, None)),
        ("acknowledged", split(attempts, "ok")),
        ("refused: slow down", split(attempts, "refused")),
        ("cut by the restart before an answer, sent again", split(attempts, "lost")),
        (f"no acknowledgement within {ACK_TIMEOUT:g} s, sent again", split(attempts, "timeout")),
        ("other answers", ", ".join(f"{k}: {v}" for k, v in sorted(others.items())) or "0"),
        (
            "in flight at SIGTERM: acknowledged during the shutdown / cut",
            f"{acked_in_flight:,} / {len(in_flight) - acked_in_flight:,}",
        ),
        (
            "press → acknowledged (retries included), socket p50 / p99 / max, ms",
            spread(waits[SOCKET]),
        ),
        ("press → acknowledged (retries included), form p50 / p99 / max, ms", spread(waits[FORM])),
    ]


def check_rows(verdict: Verdict) -> Rows:
    expected = verdict.expected_by_choice
    return [
        ("**checks**", ""),
        ("voters whose votes were not all acknowledged (must be 0)", f"{verdict.unfinished:,}"),
        (
            "acknowledged votes not stored as acknowledged (must be 0)",
            f"{len(verdict.acks_lost):,}",
        ),
        ("voters with more than one row (must be 0)", f"{len(verdict.duplicates):,}"),
        ("rows of voters never acknowledged (must be 0)", f"{len(verdict.unacknowledged_rows):,}"),
        (
            "stored total = per response",
            f"{verdict.stored_total:,} = {per_choice(verdict.stored_by_choice)}",
        ),
        (
            "expected from the last acknowledgements",
            f"{sum(expected.values()):,} = {per_choice(expected)}",
        ),
        ("results.json equals the database", "yes" if verdict.json_matches else "NO"),
        ("pages not on the stored numbers at the end (must be 0)", f"{len(verdict.pages_wrong):,}"),
        ("pages without an open socket at the end (must be 0)", f"{verdict.pages_closed:,}"),
    ]


def restart_rows(steps: Restart, pages: Sequence[Page], log: str) -> Rows:
    codes = sum((page.close_codes for page in pages), Counter())
    return [
        ("**restart**", ""),
        ("SIGTERM → process exited, s", f"{steps.shutdown_s:.2f}"),
        (
            f"graceful: the log says “{SHUTDOWN_DONE}” (exit status)",
            f"{'yes' if SHUTDOWN_DONE in log else 'NO'} ({steps.exit_code})",
        ),
        ("exited → new process answers /healthz, s", f"{steps.start_s:.2f}"),
        ("answers → every page reconnected with full state, s", f"{steps.back_s:.2f}"),
        (
            "per page: answers → full state, p50 / p99 / max, ms",
            spread(steps.resync_delays),
        ),
        (
            "per page: the attempt that got through → full state, p50 / p99 / max, ms",
            spread(steps.served_in),
        ),
        ("pages not back within 180 s", f"{steps.pages_not_back:,}"),
        ("close codes of open sockets", ", ".join(f"{k}: {v:,}" for k, v in sorted(codes.items()))),
        (
            "connection attempts refused while the server was away",
            f"{sum(p.failed_attempts for p in pages):,}",
        ),
    ]


def cost_rows(phase: Phase, monitor: Monitor, pages: Sequence[Page], log: str) -> Rows:
    wall = phase.wall
    problems = sum("Traceback" in line or "ERROR" in line for line in log.splitlines())
    messages = sum(p.messages for p in pages) / len(pages)
    kilobytes = sum(p.bytes for p in pages) / len(pages) / 1024
    return [
        ("**cost**", ""),
        ("voting phase, wall time, s", f"{wall:.1f}"),
        (
            "server CPU, s (both processes) / % of one core",
            f"{phase.server_cpu:.1f} / {100 * phase.server_cpu / wall:.0f}",
        ),
        (
            "server peak RSS before / after the restart, MB",
            " / ".join(f"{v / 2**20:.0f}" for v in monitor.peak.values()),
        ),
        ("load generator CPU, % of one core", f"{100 * phase.client_cpu / wall:.0f}"),
        ("messages / KB received per page", f"{messages:,.0f} / {kilobytes:,.0f}"),
        ("error lines in the server log", f"{problems:,}"),
    ]


def table(lines: Rows) -> str:
    out = ["| figure | value |", "|---|---|"]
    out += [f"| {label} | {value} |" for label, value in lines]
    return "\n".join(out)


def setup_rows(sizes: Sizes, phase: Phase, pages: int) -> Rows:
    return [
        ("**set-up**", ""),
        ("viewers (signed-out poll pages; the first is the owner's)", f"{sizes.viewers:,}"),
        (
            "voters over their poll page's socket / with the form",
            f"{sizes.voters - sizes.form_voters:,} / {sizes.form_voters:,}",
        ),
        ("pages watching (viewers + socket voters)", f"{pages:,}"),
        ("votes per voter (a vote, then changes of mind)", f"{sizes.votes}"),
        (
            "voting spread over, s / SIGTERM after, s",
            f"{sizes.seconds:g} / {phase.restart_after:.1f}",
        ),
        (
            "voters with a vote in the 0.1 s before SIGTERM",
            f"{round(sizes.voters * sizes.burst):,}",
        ),
    ]
