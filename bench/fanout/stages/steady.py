"""steady: N viewers; 10 votes one by one, one probe vote (bytes per update at 10 votes),
then R votes/s for S seconds: vote -> last viewer latency."""

from __future__ import annotations

import asyncio
import time

from bench.common.crowd import quiet
from bench.common.stats import percentile
from bench.common.watch import Watch
from bench.fanout.live import Live
from bench.fanout.meter import Meter, per_group
from bench.fanout.options import Figures, Options
from bench.fanout.phases import connect, one_vote, probe_update, settle
from bench.fanout.rows import Row, connect_rows, machine_rows
from bench.fanout.stage import Stage


async def steady(live: Live, options: Options) -> Figures:
    sizes = options.sizes
    viewers = live.voters()
    for n in range(sizes.warm):
        await one_vote(live, viewers[n], live.ballot(n), options)
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
        viewers[sizes.warm + n].send(live.frame(live.ballot(n)))
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


async def measure(live: Live, options: Options) -> Figures:
    return await connect(live, options, options.sizes.viewers) | await steady(live, options)


STAGE = Stage(
    "steady",
    measure,
    [
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
                # What reading one message costs the load generator is in every latency above;
                # in a burst (two messages a viewer, a thousand votes sent) it means nothing.
                Row("load generator CPU per message read, µs", "steady.client_message_us", 1),
            ],
        ),
    ],
)
