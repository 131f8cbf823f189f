"""Load with a restart (issue 8): 1,000 voters vote and change their votes over sockets and
forms while 1,000 viewers watch one poll; the server is restarted gracefully in the middle.

    python bench/load.py            # 1,000 viewers, 1,000 voters (75 s on 2 cores)
    python bench/load.py --quick    # 100 and 100 (under a minute)

One real `crowdsource serve` (SQLite, one process) on 127.0.0.1 with its rate limits raised
far above the load (the test measures the system, not the limiter). Viewers are signed-out
poll pages (the first is the owner's); each socket voter votes over its own poll page's socket
and watches too; form voters POST the no-JavaScript form with its CSRF token and follow the
303. Every page reconnects like htmx in a browser (close codes 1006/1011/1012/1013,
full-jitter backoff; 1001 as static/app.js). Half-way the server gets SIGTERM, exits, and is
started again on the same port and data folder; votes in flight are either acknowledged
(then they must be stored) or sent again. At the end, after a quiet moment, the SQLite file is
read directly: every voter's row must be their last acknowledged choice, once; and every
page must show the stored totals. Exits 1 when any check fails."""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import resource
import secrets
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

import jwt
import uvloop
from app_setup import Owner, mint_voters
from crowd import quiet
from load_check import Verdict, check, read_votes
from load_pages import Page
from load_report import Phase, Rows, check_rows, cost_rows, restart_rows, table, vote_rows
from load_restart import Monitor, Restart, restart
from load_voters import Ballot, FormVoter, SocketVoter, Voter
from servers import REPO, Server, crowdsource_server

# Far above this load, so that nothing is refused for going too fast (the defaults are
# 2 votes/s per user, 600 sign-ins a minute per address, 1,000 sockets per address).
LIMITS = {
    "VOTES_PER_SECOND": "1000",
    "SIGN_INS_PER_MINUTE": "100000",
    "POLLS_PER_MINUTE": "1000",
    "SOCKETS_PER_ADDRESS": "100000",
}
OPEN_PARALLEL = 50
FINISH_GRACE = 240.0  # voting time may run over by this much before unfinished voters count


@dataclass(frozen=True)
class Sizes:
    viewers: int = 1000
    voters: int = 1000
    form_share: float = 0.2
    votes: int = 3  # per voter: one vote, then changes of mind
    seconds: float = 60.0
    restart_at: float = 0.5  # share of `seconds`
    burst: float = 0.25  # share of voters who vote in the 0.1 s before the restart

    @property
    def restart_s(self) -> float:
        return self.seconds * self.restart_at

    @property
    def form_voters(self) -> int:
        return round(self.voters * self.form_share)


QUICK = Sizes(viewers=100, voters=100, seconds=15.0)


@dataclass
class Run:
    sizes: Sizes
    server: Server
    owner: Owner
    ballot: Ballot
    viewers: list[Page]
    voters: list[Voter]
    monitor: Monitor

    @property
    def pages(self) -> list[Page]:
        return self.viewers + [v.page for v in self.voters if isinstance(v, SocketVoter) and v.page]


def user_id(cookie: str) -> int:
    """The `sub` of a minted token (this process signed it)."""
    return int(jwt.decode(cookie.split("=", 1)[1], options={"verify_signature": False})["sub"])


def make_voters(
    sizes: Sizes, cookies: Sequence[str], uri: str, origin: str, seed: int
) -> list[Voter]:
    rng = random.Random(seed)
    by_form = set(rng.sample(range(sizes.voters), sizes.form_voters))
    in_burst = set(rng.sample(range(sizes.voters), round(sizes.voters * sizes.burst)))
    voters: list[Voter] = []
    for n, cookie in enumerate(cookies):
        own = random.Random(seed * 100_003 + n)
        times = [own.uniform(0, sizes.seconds) for _ in range(sizes.votes)]
        if n in in_burst:  # in flight when SIGTERM comes
            times[-1] = sizes.restart_s + own.uniform(-0.1, 0.0)
        times.sort()
        if n in by_form:
            voters.append(FormVoter(user_id(cookie), cookie, times, own))
        else:
            page = Page(uri, origin, cookie)
            voters.append(SocketVoter(user_id(cookie), cookie, times, own, page=page))
    return voters


async def gated(jobs: Sequence[Any], parallel: int = OPEN_PARALLEL) -> None:
    gate = asyncio.Semaphore(parallel)

    async def one(job: Any) -> None:
        async with gate:
            await job

    await asyncio.gather(*(one(job) for job in jobs))


async def set_up(sizes: Sizes, workdir: Path, args: argparse.Namespace) -> Run:
    secret = secrets.token_urlsafe(48)
    data_dir = workdir / "app"
    print(f"Work folder {workdir}; minting {sizes.voters:,} voters …", flush=True)
    cookies = await mint_voters(data_dir, secret, sizes.voters)
    server = crowdsource_server(data_dir, secret, deflate=False, src=args.src.resolve())
    server.env.update(LIMITS, LOG_LEVEL="info")  # the log shows the shutdown and its errors
    await asyncio.to_thread(server.start, "/healthz")
    try:
        return await open_everything(sizes, server, cookies, args)
    except BaseException:
        await asyncio.to_thread(server.stop)
        raise


async def open_everything(
    sizes: Sizes, server: Server, cookies: list[str], args: argparse.Namespace
) -> Run:
    """The owner's poll, every page's socket and every form voter's first page."""
    owner = Owner(server.url)
    await asyncio.to_thread(owner.sign_in)
    slug = await asyncio.to_thread(owner.create_poll, args.show_voters)
    results = await asyncio.to_thread(owner.results, slug)
    ballot = Ballot(server.url, slug, {c["id"]: c["label"] for c in results["choices"]})
    uri = f"ws://127.0.0.1:{server.port}/polls/{slug}/ws"
    viewers = [
        Page(uri, server.url, owner.cookie if n == 0 else None) for n in range(sizes.viewers)
    ]
    voters = make_voters(sizes, cookies, uri, server.url, args.seed)
    monitor = Monitor(server)
    run = Run(sizes, server, owner, ballot, viewers, voters, monitor)
    print(f"Opening {len(run.pages):,} poll pages and {sizes.form_voters:,} forms …", flush=True)
    await gated([page.first_open() for page in run.pages])
    forms = [voter for voter in voters if isinstance(voter, FormVoter)]
    for voter in forms:
        voter.open_client(ballot)
    await gated([voter.load_page(ballot) for voter in forms])
    return run


async def vote_with_restart(run: Run) -> Phase:
    """Every voter's schedule, with the restart at `restart_at` of it."""
    sizes = run.sizes
    run.monitor.start()
    cpu_before, client_before = run.monitor.cpu_seconds, time.process_time()
    start = time.perf_counter() + 0.5
    tasks = [asyncio.create_task(voter.run(run.ballot, start)) for voter in run.voters]

    async def restart_later() -> Restart:
        await asyncio.sleep(max(0.0, start + sizes.restart_s - time.perf_counter()))
        print("Restarting the server …", flush=True)
        return await restart(run.server, run.monitor, run.pages)

    steps = await restart_later()
    print("Server back; voting goes on …", flush=True)
    finished, unfinished = await asyncio.wait(tasks, timeout=sizes.seconds + FINISH_GRACE)
    for task in unfinished:
        task.cancel()
    failed = [task for task in finished if task.exception() is not None]
    if failed:
        print(f"{len(failed)} voter(s) failed; the first:", file=sys.stderr)
        failed[0].print_stack()
    wall = time.perf_counter() - start
    await quiet(1.0, limit=60)
    await asyncio.sleep(1.0)
    run.monitor.sample()
    server_cpu = run.monitor.cpu_seconds - cpu_before
    client_cpu = time.process_time() - client_before
    return Phase(steps, steps.sigterm_at - start, wall, server_cpu, client_cpu)


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


def report(run: Run, phase: Phase, verdict: Verdict) -> Rows:
    log = run.server.log_path.read_text(errors="replace")
    return (
        setup_rows(run.sizes, phase, len(run.pages))
        + vote_rows(run.voters, run.sizes.voters * run.sizes.votes, phase.steps)
        + check_rows(verdict)
        + restart_rows(phase.steps, run.pages, log)
        + cost_rows(phase, run.monitor, run.pages, log)
    )


# -- running -------------------------------------------------------------------------------


def raise_fd_limit() -> None:
    """Every page is one descriptor here and one in the server (which inherits the limit)."""
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


async def tear_down(run: Run) -> None:
    await run.monitor.stop()
    await asyncio.gather(*(page.stop() for page in run.pages))
    await asyncio.gather(*(v.close() for v in run.voters if isinstance(v, FormVoter)))
    await asyncio.to_thread(run.server.stop)


async def main(args: argparse.Namespace) -> int:
    sizes = sizes_from(args)
    raise_fd_limit()
    workdir = Path(tempfile.mkdtemp(prefix="crowdsource-load-"))
    started = time.perf_counter()
    run: Run | None = None
    try:
        run = await set_up(sizes, workdir, args)
        print(f"Voting for {sizes.seconds:g} s …", flush=True)
        phase = await vote_with_restart(run)
        stored = read_votes(workdir / "app" / "crowdsource.sqlite3", run.ballot.slug)
        results = await asyncio.to_thread(run.owner.results, run.ballot.slug)
        verdict = check(run.voters, run.pages, stored, results, list(run.ballot.labels))
        lines = report(run, phase, verdict)
    finally:
        if run is not None:
            await tear_down(run)
        if args.keep:
            print(f"Work folder kept: {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
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


def sizes_from(args: argparse.Namespace) -> Sizes:
    base = QUICK if args.quick else Sizes()
    chosen = {key: getattr(args, key) for key in asdict(base)}
    sizes = replace(base, **{key: value for key, value in chosen.items() if value is not None})
    if sizes.viewers < 1 or sizes.voters < 1 or sizes.votes < 1 or sizes.seconds <= 0:
        raise SystemExit("--viewers, --voters, --votes and --seconds must be positive")
    if not (0 <= sizes.form_share <= 1 and 0 <= sizes.burst <= 1 and 0 < sizes.restart_at < 1):
        raise SystemExit("--form-share and --burst are shares (0 to 1), --restart-at in (0, 1)")
    return sizes


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="100 viewers and 100 voters for 15 s")
    parser.add_argument("--viewers", type=int, help="signed-out pages watching (1000)")
    parser.add_argument("--voters", type=int, help="guests who vote (1000)")
    parser.add_argument("--form-share", type=float, help="share of voters using the form (0.2)")
    parser.add_argument("--votes", type=int, help="votes per voter: a vote, then changes (3)")
    parser.add_argument("--seconds", type=float, help="how long voting is spread over (60)")
    parser.add_argument(
        "--restart-at", type=float, help="when to restart, share of --seconds (0.5)"
    )
    parser.add_argument("--burst", type=float, help="share voting just before SIGTERM (0.25)")
    parser.add_argument("--show-voters", choices=["owner", "everyone"], default="owner")
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument(
        "--src",
        type=Path,
        default=REPO / "src",
        help="serve the crowdsource package from this folder (another checkout's src)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the work folder (server log)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    return parser.parse_args(argv)


if __name__ == "__main__":
    sys.exit(uvloop.run(main(parse_args())))
