"""school (issue 18, "a school on one box"): R rooms of S students and one projector socket
each; every room's instructor asks its own question ("Ask now"), then every student votes
once, the votes of the whole school spread at random over T seconds. Vote → last socket of
that room (its students and its projector); every room's total must be exact: stored in
results.json = votes cast = what each of its sockets last showed.

With `--processes 2` (and `--votes-on both`) each room's sockets take turns over the two
processes, as a round-robin balancer would spread them: every room is then published by
both processes, and both write the one SQLite file."""

from __future__ import annotations

import asyncio
import time
from dataclasses import replace

from bench.common.crowd import Activity, Crowd, quiet
from bench.common.owner import Owner
from bench.common.procfs import usage
from bench.common.stats import percentile
from bench.fanout.classrooms import Classroom, cast, schedule
from bench.fanout.live import Live
from bench.fanout.meter import Meter, database_cpu
from bench.fanout.options import Figures, Options
from bench.fanout.phases import connected
from bench.fanout.rows import Row, connect_rows, machine_rows
from bench.fanout.stage import Stage


def instructor(url: str, n: int) -> tuple[Owner, str]:
    """The n-th room's instructor, signed in as a guest, and the room they create."""
    owner = Owner(url)
    owner.sign_in(f"Teacher {n + 1}")
    return owner, owner.create_room(f"Room {n + 1}")


async def open_school(live: Live, options: Options) -> tuple[list[Classroom], Figures]:
    """Create the rooms, open every room's students and projector, one room after another."""
    sizes, server = options.sizes, live.server
    base = f"ws://127.0.0.1:{server.port}"
    rooms = []
    for n in range(sizes.school_rooms):
        owner, code = await asyncio.to_thread(instructor, server.url, n)
        crowd = Crowd(f"{base}/r/{code}/ws?view=room", server.url, live.target.deflate)
        rooms.append(Classroom(owner, code, crowd))
    servers = live.servers
    bases = [f"ws://127.0.0.1:{process.port}" for process in servers]
    before, started = {s.pid: usage(s.pid) for s in servers}, time.perf_counter()
    database = database_cpu(live)
    per_room = sizes.school_students
    for n, room in enumerate(rooms):
        await room.open(bases, options.cookies[n * per_room : (n + 1) * per_room])
    await quiet(0.5)
    joined = Activity.last - started
    await asyncio.sleep(0.5)
    sockets = [viewer for room in rooms for viewer in room.crowd.viewers]
    return rooms, connected(before, joined, servers, sockets, database_cpu(live) - database)


async def vote(live: Live, options: Options, rooms: list[Classroom]) -> Figures:
    """Every student votes once in their room's question; the figures of the whole school."""
    sizes = options.sizes
    everyone = Crowd(live.crowd.uri, live.server.url, live.target.deflate)
    everyone.viewers = [viewer for room in rooms for viewer in room.crowd.viewers]
    watches = [room.follow() for room in rooms]
    plan = schedule(rooms, sizes.school_seconds)
    await quiet(0.3)
    meter = Meter(replace(live, crowd=everyone))
    first = time.perf_counter()
    last = await cast(plan, live.server.url)
    try:
        waiting = asyncio.gather(*(watch.done.wait() for watch in watches))
        await asyncio.wait_for(waiting, options.timeout)
        settled = 1000 * (max(watch.done_at for watch in watches) - last)
    except TimeoutError:
        settled = "not settled"
    await quiet(0.5)
    figures = meter.figures(len(plan))
    everyone.viewers = []  # the rooms close their own sockets
    return figures | {"votes_per_s": len(plan) / (last - first), "settle_ms": settled}


async def exactness(rooms: list[Classroom]) -> Figures:
    """Every room's question in results.json against the votes cast and the sockets."""
    for room in rooms:
        room.stored = (await asyncio.to_thread(room.owner.results, room.slug))["total_votes"]
    students = [viewer for room in rooms for viewer in room.students]
    return {
        "votes_cast": sum(len(room.sent) for room in rooms),
        "votes_acked": sum(len(viewer.acks) for viewer in students),
        "refused": sum(len(viewer.refusals) for viewer in students),
        "stored_total": sum(room.stored or 0 for room in rooms),
        "viewers_behind": sum(room.behind() for room in rooms),
        "rooms_off": sum(not room.exact() for room in rooms),
    }


def latency(rooms: list[Classroom]) -> Figures:
    """Vote → last and first socket of its room over every vote of the school."""
    last = [ms for room in rooms for ms in room.latencies()[0]]
    first = [ms for room in rooms for ms in room.latencies()[1]]
    launches = [room.launch_ms for room in rooms]
    acked = [ms for room in rooms for ms in room.acknowledged()]
    return {
        "latency_p50_ms": percentile(last, 0.50),
        "latency_p99_ms": percentile(last, 0.99),
        "latency_max_ms": max(last, default=None),
        "first_p50_ms": percentile(first, 0.50),
        "acked_p50_ms": percentile(acked, 0.50),
        "acked_p99_ms": percentile(acked, 0.99),
        "votes_seen": f"{len(last):,}/{sum(len(room.sent) for room in rooms):,}",
        "launch_p50_ms": percentile(launches, 0.50),
        "launch_p99_ms": percentile(launches, 0.99),
    }


async def measure(live: Live, options: Options) -> Figures:
    if not live.target.app or live.owner is None:
        return {}  # the naive floor has no rooms
    rooms, figures = await open_school(live, options)
    try:
        for room in rooms:
            async with asyncio.timeout(options.timeout):
                await room.launch(options.show_voters)
        figures |= await vote(live, options, rooms)
        return figures | latency(rooms) | await exactness(rooms)
    finally:
        for room in rooms:
            room.crowd.close()


STAGE = Stage(
    "school",
    measure,
    [
        (
            "school: {school_rooms} rooms of {school_students} students + 1 projector, "
            "each its own question, every student votes once within {school_seconds:g} s",
            [
                *connect_rows("school"),
                Row("server RSS with every socket idle, MB", "school.rss_mb", 1),
                Row("launch → every socket of the room p50, ms", "school.launch_p50_ms", 1),
                Row("launch → every socket of the room p99, ms", "school.launch_p99_ms", 1),
                Row("votes/s sent (the whole school)", "school.votes_per_s"),
                Row("vote → last socket of its room p50, ms", "school.latency_p50_ms", 1),
                Row("vote → last socket of its room p99, ms", "school.latency_p99_ms", 1),
                Row("vote → last socket of its room max, ms", "school.latency_max_ms", 1),
                Row("vote → first socket of its room p50, ms", "school.first_p50_ms", 1),
                Row("vote → its voter's 'counted' p50, ms", "school.acked_p50_ms", 1),
                Row("vote → its voter's 'counted' p99, ms", "school.acked_p99_ms", 1),
                Row("votes seen by every socket of their room", "school.votes_seen"),
                Row("settle: last vote sent → every room final, ms", "school.settle_ms"),
                Row("votes cast", "school.votes_cast"),
                Row("votes acknowledged", "school.votes_acked"),
                Row("votes refused", "school.refused"),
                Row("total in results.json, all rooms", "school.stored_total"),
                Row("sockets not showing their room's final total", "school.viewers_behind"),
                Row("rooms whose totals differ (stored, cast, shown)", "school.rooms_off"),
                Row("messages per socket", "school.messages_per_viewer", 1),
                *machine_rows("school"),
            ],
        ),
    ],
)
