"""The measured phases stages are made of: connect a crowd, one vote until every viewer
shows it, the bytes of one update, and a burst of votes at once."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence

from bench.common.crowd import Activity, Viewer, quiet
from bench.common.phase_profile import START, STOP
from bench.common.procfs import Usage, usage
from bench.common.watch import Watch
from bench.fanout.live import Live
from bench.fanout.meter import Meter, database_cpu, per_group
from bench.fanout.options import Figures, Options
from tests.helpers.live_server import ServerProcess


def connected(
    before: dict[int, Usage],
    joined: float,
    servers: Sequence[ServerProcess],
    viewers: Sequence[Viewer],
    database: float = 0.0,
) -> Figures:
    """What opening `viewers` cost `servers` since `before` (their usage then), and
    `database` CPU seconds of PostgreSQL's, the sockets having all joined `joined` seconds
    after the first was opened."""
    spent = [usage(server.pid) - before[server.pid] for server in servers]
    cpu = sum(s.cpu_seconds for s in spent) + database
    return {
        "connect_s": joined,
        "cpu_per_connection_ms": 1000 * cpu / len(viewers),
        "rss_per_connection_kb": sum(s.rss_bytes for s in spent) / len(viewers) / 1024,
        "rss_mb": sum(usage(server.pid).rss_bytes for server in servers) / 2**20,
        "deflate_share": sum(v.negotiated_deflate for v in viewers) / len(viewers),
    }


async def connect(live: Live, options: Options, count: int) -> Figures:
    """Open `count` students' sockets and then the owner's (the projector: for Crowdsource
    another render variant when only the owner sees voters); server CPU and memory per
    connection once everything is quiet."""
    before, started = {s.pid: usage(s.pid) for s in live.servers}, time.perf_counter()
    database = database_cpu(live)
    live.profile(START)
    await live.crowd.open(options.cookies[:count], uris=live.uris)
    await live.crowd.open([live.owner.cookie if live.owner else None])
    await quiet(0.5)
    live.profile(STOP)
    joined = Activity.last - started  # until the last message of the join
    await asyncio.sleep(0.5)
    return per_group(
        connected(before, joined, live.servers, live.crowd.viewers, database_cpu(live) - database),
        {
            name: connected(before, joined, [server], viewers)
            for name, (server, viewers) in live.groups().items()
        },
    )


async def settle(live: Live, watch: Watch, options: Options) -> bool:
    try:
        await asyncio.wait_for(watch.done.wait(), options.timeout)
    except TimeoutError:
        return False
    return True


async def one_vote(live: Live, voter: Viewer, choice: str | list[str], options: Options) -> None:
    """One vote, then wait until every viewer shows it."""
    live.crowd.reset()
    watch = live.crowd.watch(live.total(), 1)
    voter.send(live.frame(choice))
    if not await settle(live, watch, options):
        raise RuntimeError(f"{live.target.name}: a single vote never reached every viewer")


async def probe_update(live: Live, options: Options) -> Figures:
    """Bytes and messages each viewer receives for one vote by someone else."""
    await quiet(0.3)
    await one_vote(live, live.probe, live.ballot(1), options)
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


async def burst(
    live: Live, options: Options, voters: int, frame: Callable[[int], str] | None = None
) -> Figures:
    """`voters` viewers vote as fast as they can; every viewer must end on the final total.
    `frame(n)`: the n-th voter's frame (default: the poll page's vote form)."""
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
        voter.send(frame(n) if frame else live.frame(live.ballot(n)))
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
