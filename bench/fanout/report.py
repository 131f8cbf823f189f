"""The printed report: the machine, one table of figures per server, naive ÷ Crowdsource
ratios, the issue's targets with a verdict each, and a warning when the machine was busy."""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from bench import SRC
from bench.fanout.rows import Figures, Section, cell
from bench.fanout.targets import verdicts


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


def table(
    results: Mapping[str, Figures], sizes: Mapping[str, float], sections: Sequence[Section]
) -> str:
    """Markdown table of every figure, one column per server (and ratio) that ran."""
    chosen = columns(results)
    header = ["figure", *(name for name, _ in chosen)]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for title, rows in sections:
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


DISTURBERS = {".others_cpu_pct": "other processes used", ".steal_cpu_pct": "other guests took"}


def disturbances(results: Mapping[str, Figures], limit: float = 20.0) -> list[str]:
    """Stages during which other processes (or, on a VM, other guests of its host) used more
    than `limit` % of a core: their figures are not to be trusted (run again when quiet)."""
    return [
        f"- {server} {key.split('.')[0]}: {what} {value:.0f} % of a core"
        for server, figures in results.items()
        for key, value in figures.items()
        for suffix, what in DISTURBERS.items()
        if key.endswith(suffix) and isinstance(value, int | float) and value > limit
    ]


def machine() -> dict[str, str]:
    free = subprocess.run(["free", "-h"], capture_output=True, text=True, check=False).stdout
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    return {
        "nproc": str(os.cpu_count()),
        "cpu": model,
        "free -h": free.strip(),
        "python": platform.python_version(),
        "kernel": platform.release(),
    }


def print_report(
    args: argparse.Namespace,
    sizes: dict[str, float],
    results: Mapping[str, Figures],
    sections: Sequence[Section],
) -> None:
    info = machine()
    print()
    print(f"Machine: {info['nproc']} cores ({info['cpu']}), Python {info['python']}; the load")
    print("generator runs on the same machine, in its own process (its CPU use is shown).")
    kind = "" if args.kind == "single" else f", kind={args.kind} (two picks a vote)"
    print(f"Poll: 3 responses, results always visible, show_voters={args.show_voters}{kind}.")
    if args.roster:
        print("Voters are GitHub users; the poll is a question of a room whose roster lists")
        print("them (as does the room stage's room): the owner's page is told #roster.")
    if args.processes > 1:
        database = "PostgreSQL database" if args.postgres else "SQLite file"
        print(f"{args.processes} Crowdsource processes on one {database} behind Redis; viewers")
        who = (
            "every viewer votes on its own process"
            if args.votes_on == "both"
            else ("only process A's viewers vote")
        )
        print(f"take turns over them; {who}; the owner and the probe use process A.")
        print("'Crowdsource' columns are all processes together.")
    if args.postgres:
        print("Crowdsource on PostgreSQL (a cluster of the run's own, durable defaults); its")
        print("CPU is in the server's figures, and its share in a row of its own.")
    if args.sqlite or args.src.resolve() != SRC.resolve():
        database = "PostgreSQL" if args.postgres else f"SQLite pragmas: {args.sqlite or 'default'}"
        print(f"Crowdsource from {args.src}, {database}.")
    print()
    print(table(results, sizes, sections))
    print()
    for server in [name for name in results if name.startswith("crowdsource") and " " not in name]:
        print(f"Targets of issues 3, 14 and 18 ({server}):")
        print("\n".join(verdicts(results, sizes, server)))
        print()
    noisy = disturbances(results)
    if noisy:
        print("WARNING: the machine was busy with other work; these figures are disturbed:")
        print("\n".join(noisy))
        print()
    if args.json:
        record = {"sizes": sizes, "machine": info, "argv": sys.argv[1:], "results": results}
        args.json.write_text(json.dumps(record, indent=2) + "\n")
