"""One load run: set up, vote with a restart, read the database, check and print."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from dataclasses import asdict

from bench.common.run_setup import raise_fd_limit, work_folder
from bench.load.check import Verdict, check, read_votes
from bench.load.cli import sizes_from
from bench.load.options import LIMITS
from bench.load.report import (
    Rows,
    check_rows,
    cost_rows,
    restart_rows,
    setup_rows,
    table,
    vote_rows,
)
from bench.load.setup import Run, set_up, tear_down
from bench.load.voting import Phase, vote_with_restart


def report_rows(run: Run, phase: Phase, verdict: Verdict) -> Rows:
    log = run.server.log_path.read_text(errors="replace")
    return (
        setup_rows(run.sizes, phase, len(run.pages))
        + vote_rows(run.voters, run.sizes.voters * run.sizes.votes, phase.steps)
        + check_rows(verdict)
        + restart_rows(phase.steps, run.pages, log)
        + cost_rows(phase, run.monitor, run.pages, log)
    )


async def main(args: argparse.Namespace) -> int:
    sizes = sizes_from(args)
    raise_fd_limit(sizes.viewers + sizes.voters)
    started = time.perf_counter()
    with work_folder("crowdsource-load-", keep=args.keep) as workdir:
        run = await set_up(sizes, workdir, args)
        try:
            print(f"Voting for {sizes.seconds:g} s …", flush=True)
            phase = await vote_with_restart(run)
            stored = read_votes(workdir / "app" / "crowdsource.sqlite3", run.ballot.slug)
            results = await asyncio.to_thread(run.owner.results, run.ballot.slug)
            verdict = check(run.voters, run.pages, stored, results, list(run.ballot.labels))
            lines = report_rows(run, phase, verdict)
        finally:
            await tear_down(run)
    print()
    print(
        f"Poll: 3 responses, results always visible, show_voters={args.show_voters}; "
        f"rate limits raised: {', '.join(f'{k}={v}' for k, v in LIMITS.items())}."
    )
    print()
    print(table(lines))
    print()
    for wrong in verdict.pages_wrong[:5]:
        print(f"  {wrong}")
    verdict_word = "PASS" if verdict.passed else "FAIL"
    print(f"Verdict: {verdict_word}; run took {time.perf_counter() - started:.0f} s.")
    if args.json:
        args.json.write_text(
            json.dumps({"sizes": asdict(sizes), "argv": sys.argv[1:], "rows": lines}, indent=2)
            + "\n"
        )
    return 0 if verdict.passed else 1
