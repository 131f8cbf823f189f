"""One soak run: mint voters, start the probed server, run the rounds while sampling, let
the server come to rest, check and print."""

from __future__ import annotations

import argparse
import asyncio
import json
import secrets
import sys
from dataclasses import asdict
from pathlib import Path

from bench import REPO, SRC
from bench.common.owner import Owner
from bench.common.run_setup import raise_fd_limit, work_folder
from bench.common.servers import crowdsource_server, sqlite_url, stop
from bench.common.voters import mint_voters
from bench.soak.cli import sizes_from
from bench.soak.cycles import PREFIX as CYCLES
from bench.soak.monitor import Monitor
from bench.soak.options import LIMITS, SETTLE_TIMEOUT
from bench.soak.report import gc_lines, load_line, memory_lines
from bench.soak.rounds import Rounds
from bench.soak.verdict import log_errors, settle
from tests.helpers.live_server import LiveServer


def soak_server(data_dir: Path, secret: str, gc_policy: str) -> LiveServer:
    """`crowdsource serve` through bench/soak/server.py (the probe, the GC policy)."""
    server = crowdsource_server(data_dir, secret, deflate=False)
    server.env.update(LIMITS, PYTHONPATH=f"{SRC}:{REPO}")
    server.command = [
        sys.executable,
        "-m",
        "bench.soak.server",
        "--gc",
        gc_policy,
        "serve",
        "--host",
        server.host,
        "--port",
        str(server.port),
    ]
    return server


async def main(args: argparse.Namespace) -> int:
    sizes = sizes_from(args)
    raise_fd_limit(sizes.rounds_at_once * sizes.sockets * 2)
    with work_folder("crowdsource-soak-", keep=args.keep) as workdir:
        secret = secrets.token_urlsafe(48)
        data_dir = workdir / "app"
        server = soak_server(data_dir, secret, args.gc)
        # Tokens name the server's PUBLIC_URL as their issuer: its default, the server's URL.
        cookies = await mint_voters(sqlite_url(data_dir), secret, server.url, sizes.voters)
        await asyncio.to_thread(server.start)
        try:
            owner = Owner(server.url)
            await asyncio.to_thread(owner.sign_in)
            monitor = Monitor(server.pid, server.url, sizes.sample_seconds)
            print(f"Soak for {sizes.minutes:g} min, gc policy {args.gc!r} …", flush=True)
            sampling = asyncio.create_task(monitor.run())
            await asyncio.sleep(0.5)  # the idle server's row comes first
            baseline = monitor.samples[0]
            rounds = Rounds(owner, server.ws_url, cookies, sizes)
            loop = asyncio.get_running_loop()
            await rounds.run_until(loop.time() + sizes.minutes * 60, args.seed)
            sampling.cancel()
            print("Load stopped; waiting for the server to come to rest …", flush=True)
            verdict = await settle(monitor, baseline, within=SETTLE_TIMEOUT)
            peak = monitor.peak_rss()
        finally:
            await asyncio.to_thread(stop, server)
        log = server.log()
        errors = log_errors(log)
    print()
    print(load_line(rounds.done, sizes.minutes))
    print("\n".join(memory_lines(monitor.samples, peak)))
    print("\n".join(gc_lines(verdict.rest.probe)))
    for line in log.splitlines():  # --gc cycles
        if line.startswith(CYCLES):
            print(line)
    for error in errors[:5]:
        print(f"server log: {error}")
    problems = verdict.problems + (
        [f"{len(errors)} error lines in the server log"] if errors else []
    )
    for problem in problems:
        print(f"not at rest: {problem}")
    print(f"Verdict: {'FAIL' if problems else 'PASS'}")
    if args.json:
        rows = [sample.row() for sample in monitor.samples]
        summary = {"sizes": asdict(sizes), "gc": args.gc, "peak_rss": peak, "rows": rows}
        summary["gc_pauses"] = verdict.rest.probe["gc"]
        args.json.write_text(json.dumps(summary, indent=2) + "\n")
    return 1 if problems else 0
