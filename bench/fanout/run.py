"""Fan-out benchmark (issue 3): Crowdsource's live layer against the naive broadcast floor.

Starts each server as a real process on 127.0.0.1 (a fresh one per stage), connects viewers
with the real WebSocket protocol from one asyncio loop in this process, lets signed-in voters
vote over their own sockets the way htmx's ws extension does, and reads `data-total-votes`
in what every viewer receives. Stages, per server and per permessage-deflate setting:

  steady  N viewers; 10 votes one by one, one probe vote (bytes per update at 10 votes),
          then R votes/s for S seconds: vote -> last viewer latency
  burst   V voters vote at once while N watch; then one probe vote (bytes at V votes)
  crowd   3,000 viewers: memory per idle connection, then a burst of V votes

The load generator shares the machine with the server (2 cores here): it runs in its own
process and its CPU use is printed for every stage.

With `--processes 2`, each stage runs two Crowdsource processes on one DATA_DIR (one SQLite
file) behind a fresh redis-server: viewers take turns over the two (half on each); the owner
and the probe voter use process A. By default only process A's viewers vote, so process B
shows what the Redis hop adds; `--votes-on both` lets every viewer vote on its own process
(both processes then write the one SQLite file, taking turns for its write lock).
Every figure is reported for both processes together and for each one.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import resource
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import uvloop
from app_setup import Owner, mint_voters
from crowd import Activity, Crowd, Viewer, Watch, quiet, vote_frame
from report import disturbances, percentile, table, verdicts
from servers import REPO, Server, crowdsource_server, free_port, machine_cpu, naive_server, usage

sys.path.insert(0, str(REPO))
from tests.helpers.services import RedisServer

Figures = dict[str, Any]
STAGES = ("steady", "burst", "crowd")


@dataclass(frozen=True)
class Sizes:
    viewers: int = 1000
    rate: float = 20.0
    seconds: float = 10.0
    warm: int = 10
    burst_viewers: int = 1000
    burst_voters: int = 1000
    crowd_viewers: int = 3000
    crowd_voters: int = 1000

    @property
    def steady_votes(self) -> int:
        return round(self.rate * self.seconds)

    @property
    def users(self) -> int:
        """Signed-in viewers, plus one more for the probe socket."""
        return max(self.viewers, self.burst_viewers, self.crowd_viewers) + 1


QUICK = Sizes(
    viewers=100, seconds=2, burst_viewers=100, burst_voters=100, crowd_viewers=200, crowd_voters=100
)


@dataclass(frozen=True)
class Target:
    app: bool
    deflate: bool

    @property
    def name(self) -> str:
        return ("crowdsource" if self.app else "naive") + ("+deflate" if self.deflate else "")


@dataclass
class Options:
    sizes: Sizes
    workdir: Path
    secret: str
    cookies: list[str]
    show_voters: str
    naive_max_messages: int
    timeout: float
    profile: bool
    src: Path
    stages: frozenset[str]
    sqlite_params: str
    processes: int = 1
    votes_on: str = "a"


def per_group(overall: Figures, groups: dict[str, Figures]) -> Figures:
    """One stage's figures: both processes together under the plain keys, each process's
    under `process X|key` (run_target makes a column of each)."""
    return overall | {
        f"{name}|{key}": value for name, figures in groups.items() for key, value in figures.items()
    }


class Meter:
    """Where the machine's CPU went over one phase: the server process(es), redis-server when
    there is one, this process (the load generator), the kernel's softirq (loopback TCP) and
    everything else (other processes: a busy neighbour makes a run noisy, so it is printed)."""

    def __init__(self, live: Live) -> None:
        self.live = live
        self.usage = {server.pid: server.usage() for server in live.servers}
        self.redis = usage(live.redis_pid).cpu_seconds if live.redis_pid else 0.0
        self.client = time.process_time()
        self.machine, self.softirq = machine_cpu()
        self.wall = time.perf_counter()

    def _spent(self, servers: Sequence[Server]) -> float:
        return sum((server.usage() - self.usage[server.pid]).cpu_seconds for server in servers)

    def figures(self, votes: int) -> Figures:
        wall = time.perf_counter() - self.wall
        spent = self._spent(self.live.servers)
        client = time.process_time() - self.client
        machine, softirq = machine_cpu()
        machine, softirq = machine - self.machine, softirq - self.softirq
        redis = usage(self.live.redis_pid).cpu_seconds - self.redis if self.live.redis_pid else 0
        shared = {
            "client_cpu_pct": 100 * client / wall,
            "softirq_cpu_pct": 100 * softirq / wall,
            "others_cpu_pct": max(0.0, 100 * (machine - softirq - spent - client - redis) / wall),
        }
        if self.live.redis_pid:
            shared["redis_cpu_pct"] = 100 * redis / wall
        overall = self._served(self.live.crowd.viewers, spent, votes, wall) | shared
        groups = {
            name: self._served(viewers, self._spent([server]), votes, wall) | shared
            for name, (server, viewers) in self.live.groups().items()
        }
        return per_group(overall, groups)

    @staticmethod
    def _served(viewers: Sequence[Viewer], spent: float, votes: int, wall: float) -> Figures:
        messages = sum(viewer.messages for viewer in viewers)
        return {
            "messages_per_viewer": messages / len(viewers),
            "kb_per_viewer": sum(viewer.bytes for viewer in viewers) / len(viewers) / 1024,
            "wire_kb_per_viewer": sum(v.wire_bytes for v in viewers) / len(viewers) / 1024,
            "server_cpu_s": spent,
            "cpu_per_vote_ms": 1000 * spent / votes,
            "cpu_per_message_us": 1e6 * spent / messages if messages else None,
            "server_cpu_pct": 100 * spent / wall,
        }


@dataclass
class Live:
    """One running server with a crowd on one poll, a probe voter and (for Crowdsource) the
    owner who created the poll."""

    target: Target
    server: Server
    crowd: Crowd
    probe: Viewer
    choices: list[str]
    page_url: str
    owner: Owner | None = None
    slug: str = ""
    others: list[Server] = field(default_factory=list)  # processes B, … behind Redis
    redis_pid: int | None = None
    votes_everywhere: bool = False  # with several processes: every viewer votes, not only A's

    @property
    def servers(self) -> list[Server]:
        return [self.server, *self.others]

    @property
    def uris(self) -> list[str]:
        """Where the viewers' sockets go: the same poll on every process, in turn."""
        path = self.page_url.removeprefix(self.server.url)
        return [f"ws://127.0.0.1:{server.port}{path}" for server in self.servers]

    def groups(self) -> dict[str, tuple[Server, list[Viewer]]]:
        """Each process and the viewers connected to it (none with one process)."""
        if not self.others:
            return {}
        return {
            f"process {chr(ord('A') + n)}": (
                server,
                [viewer for viewer in self.crowd.viewers if viewer.uri == uri],
            )
            for n, (server, uri) in enumerate(zip(self.servers, self.uris, strict=True))
        }

    def voters(self) -> list[Viewer]:
        """The viewers who vote: all of them, or with several processes those of process A
        unless --votes-on both."""
        if self.votes_everywhere or not self.others:
            return list(self.crowd.viewers)
        return [viewer for viewer in self.crowd.viewers if viewer.uri == self.uris[0]]

    def choice(self, n: int) -> str:
        return self.choices[n % len(self.choices)]

    def total(self) -> int:
        """What every viewer shows now (the naive server has no total: count from zero)."""
        return min((viewer.total for viewer in self.crowd.viewers), default=0)

    async def stored_total(self) -> int | None:
        if self.owner is None:
            return None
        results = await asyncio.to_thread(self.owner.results, self.slug)
        return results["total_votes"]


@asynccontextmanager
async def live(target: Target, options: Options, stage: str) -> AsyncIterator[Live]:
    data_dir = options.workdir / "app"
    redis: RedisServer | None = None
    others: list[Server] = []
    if target.app:
        port = free_port()
        public_url = f"http://127.0.0.1:{port}" if options.processes > 1 else None
        if options.processes > 1:
            redis = await asyncio.to_thread(RedisServer().start)
        servers = [
            crowdsource_server(
                data_dir,
                options.secret,
                deflate=target.deflate,
                src=options.src,
                sqlite_params=options.sqlite_params,
                profile=(
                    options.workdir / f"{target.name}-{stage}{'-' + str(n) if n else ''}.prof"
                    if options.profile
                    else None
                ),
                redis_url=redis.url() if redis else None,
                public_url=public_url,
                name=f"server-{n}" if n else "server",
                port=None if n else port,
            )
            for n in range(options.processes)
        ]
        server, others = servers[0], servers[1:]
    else:
        server = naive_server(options.workdir, deflate=target.deflate)
    crowd: Crowd | None = None
    probe: Crowd | None = None
    try:
        for each in [server, *others]:
            await asyncio.to_thread(each.start, "/healthz" if target.app else "/")
        owner, slug, choices, path = None, "", ["1", "2", "3"], "/ws"
        if target.app:
            owner = Owner(server.url)
            await asyncio.to_thread(owner.sign_in)
            slug = await asyncio.to_thread(owner.create_poll, options.show_voters)
            results = await asyncio.to_thread(owner.results, slug)
            choices = [choice["id"] for choice in results["choices"]]
            path = f"/polls/{slug}/ws"
        uri = f"ws://127.0.0.1:{server.port}{path}"
        crowd = Crowd(uri, server.url, target.deflate, counting=not target.app)
        probe = Crowd(uri, server.url, target.deflate, counting=not target.app)
        await probe.open([options.cookies[-1]])
        await quiet(0.3)
        yield Live(
            target,
            server,
            crowd,
            probe.viewers[0],
            choices,
            server.url + path,
            owner,
            slug,
            others,
            redis.process.pid if redis and redis.process else None,
            options.votes_on == "both",
        )
    finally:
        for opened in (crowd, probe):
            if opened is not None:
                opened.close()
        await asyncio.sleep(0.3)
        for each in [server, *others]:
            await asyncio.to_thread(each.stop)
        if redis is not None:
            redis.stop()


async def connect(live: Live, options: Options, count: int) -> Figures:
    """Open `count` students' sockets and then the owner's (the projector: for Crowdsource
    another render variant when only the owner sees voters); server CPU and memory per
    connection once everything is quiet."""
    before, started = {s.pid: s.usage() for s in live.servers}, time.perf_counter()
    await live.crowd.open(options.cookies[:count], uris=live.uris)
    await live.crowd.open([live.owner.cookie if live.owner else None])
    await quiet(0.5)
    joined = Activity.last - started  # until the last message of the join
    await asyncio.sleep(0.5)

    def connected(servers: Sequence[Server], viewers: Sequence[Viewer]) -> Figures:
        spent = [server.usage() - before[server.pid] for server in servers]
        return {
            "connect_s": joined,
            "cpu_per_connection_ms": 1000 * sum(s.cpu_seconds for s in spent) / len(viewers),
            "rss_per_connection_kb": sum(s.rss_bytes for s in spent) / len(viewers) / 1024,
            "rss_mb": sum(server.usage().rss_bytes for server in servers) / 2**20,
            "deflate_share": sum(v.negotiated_deflate for v in viewers) / len(viewers),
        }

    return per_group(
        connected(live.servers, live.crowd.viewers),
        {name: connected([server], viewers) for name, (server, viewers) in live.groups().items()},
    )


async def settle(live: Live, watch: Watch, options: Options) -> bool:
    try:
        await asyncio.wait_for(watch.done.wait(), options.timeout)
    except TimeoutError:
        return False
    return True


async def one_vote(live: Live, voter: Viewer, choice: str, options: Options) -> None:
    """One vote, then wait until every viewer shows it."""
    live.crowd.reset()
    watch = live.crowd.watch(live.total(), 1)
    voter.send(vote_frame(choice, live.page_url))
    if not await settle(live, watch, options):
        raise RuntimeError(f"{live.target.name}: a single vote never reached every viewer")


async def probe_update(live: Live, options: Options) -> Figures:
    """Bytes and messages each viewer receives for one vote by someone else."""
    await quiet(0.3)
    await one_vote(live, live.probe, live.choice(1), options)
    await quiet(0.3)  # anything that belongs to this update has arrived

    def update(viewers: Sequence[Viewer]) -> Figures:
        return {
            "update_bytes": sum(viewer.bytes for viewer in viewers) / len(viewers),
            "update_wire_bytes": sum(viewer.wire_bytes for viewer in viewers) / len(viewers),
            "update_messages": sum(viewer.messages for viewer in viewers) / len(viewers),
        }

    groups = live.groups()
    return per_group(
        update(live.crowd.viewers), {name: update(viewers) for name, (_, viewers) in groups.items()}
    )


async def steady(live: Live, options: Options) -> Figures:
    sizes = options.sizes
    viewers = live.voters()
    for n in range(sizes.warm):
        await one_vote(live, viewers[n], live.choice(n), options)
    figures = await probe_update(live, options)
    votes = sizes.steady_votes
    live.crowd.reset()
    groups = live.groups()
    watch = live.crowd.watch(live.total(), votes, {n: v for n, (_, v) in groups.items()})
    meter = Meter(live)
    start = time.perf_counter()
    sent: list[float] = []
    for n in range(votes):
        await asyncio.sleep(max(0.0, start + n / sizes.rate - time.perf_counter()))
        sent.append(time.perf_counter())
        viewers[sizes.warm + n].send(vote_frame(live.choice(n), live.page_url))
    await settle(live, watch, options)
    await quiet(0.3)
    return (
        figures
        | meter.figures(votes)
        | per_group(
            latency(watch, sent),
            {name: latency(part, sent) for name, part in watch.parts.items()},
        )
    )


def latency(watch: Watch, sent: list[float]) -> Figures:
    """Vote → first and last viewer of those `watch` follows, for the votes all of them saw."""
    votes = len(sent)
    everyone = [n for n in range(votes) if watch.reached[n] == watch.viewers]
    latencies = [1000 * (watch.last_seen[n] - sent[n]) for n in everyone]
    first = [1000 * (watch.first_seen[n] - sent[n]) for n in everyone]
    spread = [1000 * (watch.last_seen[n] - watch.first_seen[n]) for n in everyone]
    return {
        "latency_p50_ms": percentile(latencies, 0.50),
        "latency_p99_ms": percentile(latencies, 0.99),
        "latency_max_ms": max(latencies, default=None),
        "first_p50_ms": percentile(first, 0.50),
        "first_p99_ms": percentile(first, 0.99),
        "spread_p50_ms": percentile(spread, 0.50),
        "spread_p99_ms": percentile(spread, 0.99),
        "votes_seen": f"{len(latencies)}/{votes}",
    }


def peak_per_second(viewers: list[Viewer]) -> int:
    """Most messages any viewer received within one second (sliding window)."""
    peak = 0
    for viewer in viewers:
        times = viewer.times or []
        first = 0
        for last, now in enumerate(times):
            while now - times[first] > 1.0:
                first += 1
            peak = max(peak, last - first + 1)
    return peak


async def burst(live: Live, options: Options, voters: int) -> Figures:
    """`voters` viewers vote as fast as they can; every viewer must end on the final total."""
    viewers = live.crowd.viewers
    voting = live.voters()[:voters]
    if not live.target.app and len(viewers) * voters > options.naive_max_messages:
        return {"settle_ms": "skipped", "settle_after_stored_ms": None}
    live.crowd.reset(record_times=True)
    groups = live.groups()
    watch = live.crowd.watch(live.total(), voters, {n: v for n, (_, v) in groups.items()})
    meter = Meter(live)
    first = time.perf_counter()
    for n, voter in enumerate(voting):
        voter.send(vote_frame(live.choice(n), live.page_url))
    last = time.perf_counter()
    await settle(live, watch, options)
    await quiet(0.5)
    acks = [at for voter in voting for at in voter.acks]
    refused = sum(len(voter.refusals) for voter in voting)
    stored_at = max(acks) if len(acks) == voters else None
    stored_total = await live.stored_total()

    def settled_figures(watch: Watch, viewers: list[Viewer]) -> Figures:
        settled = watch.done.is_set()
        return {
            "stored_total": stored_total,
            "viewers_behind": len(viewers) - watch.finished,
            "settle_ms": 1000 * (watch.done_at - last) if settled else "not settled",
            "settle_after_stored_ms": (
                1000 * (watch.done_at - stored_at) if settled and stored_at else None
            ),
            "stored_per_s": voters / (stored_at - first) if stored_at else None,
            "shown_per_s": voters / (watch.done_at - first) if settled else None,
            "peak_messages_per_s": peak_per_second(viewers),
        }

    figures = meter.figures(voters) | per_group(
        settled_figures(watch, viewers) | {"refused": refused},
        {name: settled_figures(watch.parts[name], group) for name, (_, group) in groups.items()},
    )
    live.crowd.reset()
    return figures


async def steady_stage(live: Live, options: Options) -> Figures:
    return await connect(live, options, options.sizes.viewers) | await steady(live, options)


async def burst_stage(live: Live, options: Options) -> Figures:
    sizes = options.sizes
    connected = await connect(live, options, sizes.burst_viewers)
    return (
        connected
        | await burst(live, options, sizes.burst_voters)
        | await probe_update(live, options)
    )


async def crowd_stage(live: Live, options: Options) -> Figures:
    sizes = options.sizes
    connected = await connect(live, options, sizes.crowd_viewers)
    return connected | await burst(live, options, sizes.crowd_voters)


STAGE_RUNS = {"steady": steady_stage, "burst": burst_stage, "crowd": crowd_stage}


async def run_target(target: Target, options: Options) -> dict[str, Figures]:
    """Every chosen stage against one server, each with a fresh server process (or fresh
    processes and Redis): the figures under the target's name, and each process's under
    `<name> process X` when there are several."""
    results: dict[str, Figures] = {target.name: {}}
    for stage in STAGES:
        if stage not in options.stages:
            continue
        started = time.perf_counter()
        async with live(target, options, stage) as running:
            measured = await STAGE_RUNS[stage](running, options)
        for key, value in measured.items():
            group, _, name = key.rpartition("|")
            column = f"{target.name} {group}" if group else target.name
            results.setdefault(column, {})[f"{stage}.{name}"] = value
        elapsed = time.perf_counter() - started
        print(f"  {target.name}: {stage} done in {elapsed:.0f} s", flush=True)
    return results


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


def raise_fd_limit(needed: int) -> None:
    """Each viewer is one fd here and one in the server (which inherits this limit)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = hard if hard != resource.RLIM_INFINITY else max(soft, needed + 1024)
    resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
    if wanted < needed + 256:
        raise SystemExit(f"need {needed + 256} file descriptors, the hard limit is {hard}")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog="Defaults are the sizes of issue 3 (6 to 10 minutes on 2 cores); --quick is a "
        "smoke run under a minute.",
    )
    defaults = Sizes()
    parser.add_argument("--quick", action="store_true", help="small sizes (100 viewers)")
    parser.add_argument("--viewers", type=int, help=f"steady viewers ({defaults.viewers})")
    parser.add_argument("--rate", type=float, help=f"steady votes per second ({defaults.rate:g})")
    parser.add_argument("--seconds", type=float, help=f"steady duration ({defaults.seconds:g})")
    parser.add_argument("--burst-viewers", type=int, help=f"({defaults.burst_viewers})")
    parser.add_argument("--burst-voters", type=int, help=f"({defaults.burst_voters})")
    parser.add_argument("--crowd-viewers", type=int, help=f"({defaults.crowd_viewers})")
    parser.add_argument("--crowd-voters", type=int, help=f"({defaults.crowd_voters})")
    parser.add_argument(
        "--deflate",
        choices=["off", "on", "both"],
        default="both",
        help="permessage-deflate on the servers (clients always offer it; default: both)",
    )
    parser.add_argument("--no-naive", action="store_true", help="skip the naive broadcast")
    parser.add_argument(
        "--naive-max-messages",
        type=int,
        default=1_100_000,
        help="skip a naive burst that would send more messages than this (default 1,100,000: "
        "1,000 x 1,000 runs, 3,000 x 1,000 would take minutes)",
    )
    parser.add_argument(
        "--show-voters",
        choices=["everyone", "owner"],
        default="owner",
        help="the poll's setting (default: owner, the app's default: only the owner's "
        "socket gets avatars; 'everyone' pushes an avatar per vote to every viewer)",
    )
    parser.add_argument("--timeout", type=float, default=180, help="give up a phase after (s)")
    parser.add_argument("--json", type=Path, help="also write every figure to this file")
    parser.add_argument(
        "--profile",
        action="store_true",
        help="run Crowdsource under cProfile; .prof files are kept in the work folder",
    )
    parser.add_argument(
        "--stages",
        default=",".join(STAGES),
        help=f"comma-separated subset of {','.join(STAGES)} (default: all)",
    )
    parser.add_argument(
        "--src",
        type=Path,
        default=REPO / "src",
        help="run Crowdsource from this source folder instead of the checkout's src/ "
        "(to compare a patched live layer; the database schema must be the same)",
    )
    parser.add_argument(
        "--sqlite",
        default="",
        metavar="PRAGMAS",
        help="SQLite pragmas for Crowdsource as DATABASE_URL query parameters, such as "
        "'synchronous=NORMAL' (default: none, Tortoise's WAL with synchronous=FULL)",
    )
    parser.add_argument(
        "--processes",
        type=int,
        choices=[1, 2],
        default=1,
        help="Crowdsource processes per stage (default 1); 2 runs them on one SQLite file "
        "behind a fresh redis-server, viewers split half and half (no naive broadcast)",
    )
    parser.add_argument(
        "--votes-on",
        choices=["a", "both"],
        default="a",
        help="with --processes 2: only process A's viewers vote (default), or every viewer "
        "on its own process, so both processes write the SQLite file",
    )
    parser.add_argument("--keep", action="store_true", help="keep the work folder (logs, DBs)")
    return parser.parse_args(argv)


def sizes_from(args: argparse.Namespace) -> Sizes:
    base = QUICK if args.quick else Sizes()
    chosen = {
        key: getattr(args, key) for key in asdict(base) if getattr(args, key, None) is not None
    }
    sizes = replace(base, **chosen)
    unknown = set(args.stages.split(",")) - set(STAGES)
    if unknown:
        raise SystemExit(f"unknown stage(s): {', '.join(sorted(unknown))}")
    if sizes.warm + sizes.steady_votes > sizes.viewers:
        raise SystemExit("--viewers must exceed 10 + rate x seconds: each vote is a new voter")
    if sizes.burst_voters > sizes.burst_viewers or sizes.crowd_voters > sizes.crowd_viewers:
        raise SystemExit("voters vote over their own viewer sockets: voters <= viewers")
    voting_share = 1 if args.votes_on == "both" else args.processes
    voting = -(-sizes.viewers // voting_share), -(-sizes.burst_viewers // voting_share)
    if sizes.warm + sizes.steady_votes > voting[0] or sizes.burst_voters > voting[1]:
        raise SystemExit("with --processes 2 only process A's half of the viewers vote")
    if sizes.crowd_voters > -(-sizes.crowd_viewers // voting_share):
        raise SystemExit("with --processes 2 only process A's half of the viewers vote")
    return sizes


async def measure(args: argparse.Namespace, sizes: Sizes, workdir: Path) -> dict[str, Figures]:
    settings = ["off", "on"] if args.deflate == "both" else [args.deflate]
    targets = [
        Target(app, deflate == "on")
        for deflate in settings
        for app in ([True] if args.no_naive or args.processes > 1 else [True, False])
    ]
    secret = secrets.token_urlsafe(48)
    print(f"Work folder {workdir}; minting {sizes.users:,} voters …", flush=True)
    options = Options(
        sizes,
        workdir,
        secret,
        await mint_voters(workdir / "app", secret, sizes.users),
        args.show_voters,
        args.naive_max_messages,
        args.timeout,
        args.profile,
        args.src.resolve(),
        frozenset(args.stages.split(",")),
        args.sqlite,
        args.processes,
        args.votes_on,
    )
    results: dict[str, Figures] = {}
    for target in targets:
        print(f"{target.name} …", flush=True)
        results.update(await run_target(target, options))
    return results


def print_report(args: argparse.Namespace, sizes: Sizes, results: dict[str, Figures]) -> None:
    shown = asdict(sizes)
    info = machine()
    print()
    print(f"Machine: {info['nproc']} cores ({info['cpu']}), Python {info['python']}; the load")
    print("generator runs on the same machine, in its own process (its CPU use is shown).")
    print(f"Poll: 3 responses, results always visible, show_voters={args.show_voters}.")
    if args.processes > 1:
        print(f"{args.processes} Crowdsource processes on one SQLite file behind Redis; viewers")
        who = (
            "every viewer votes on its own process"
            if args.votes_on == "both"
            else ("only process A's viewers vote")
        )
        print(f"take turns over them; {who}; the owner and the probe use process A.")
        print("'Crowdsource' columns are all processes together.")
    if args.sqlite or args.src.resolve() != (REPO / "src").resolve():
        print(f"Crowdsource from {args.src}, SQLite pragmas: {args.sqlite or 'default'}.")
    print()
    print(table(results, shown))
    print()
    for server in [name for name in results if name.startswith("crowdsource") and " " not in name]:
        print(f"Targets of issue 3 ({server}):")
        print("\n".join(verdicts(results, shown, server)))
        print()
    noisy = disturbances(results)
    if noisy:
        print("WARNING: the machine was busy with other work; these figures are disturbed:")
        print("\n".join(noisy))
        print()
    if args.json:
        record = {"sizes": shown, "machine": info, "argv": sys.argv[1:], "results": results}
        args.json.write_text(json.dumps(record, indent=2) + "\n")


async def main(args: argparse.Namespace) -> int:
    sizes = sizes_from(args)
    raise_fd_limit(sizes.crowd_viewers + 2)
    workdir = Path(tempfile.mkdtemp(prefix="crowdsource-bench-"))
    started = time.perf_counter()
    try:
        results = await measure(args, sizes, workdir)
    finally:
        if args.keep or args.profile:
            print(f"Work folder kept: {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    print_report(args, sizes, results)
    print(f"Run took {time.perf_counter() - started:.0f} s.")
    return 0


if __name__ == "__main__":
    sys.exit(uvloop.run(main(parse_args())))
