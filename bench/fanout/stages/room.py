"""room: S students on one room's socket (and the owner's projector and host console); the
instructor asks L questions in turn ("Ask now", POST /r/{code}/polls with launch=1): launch
→ every socket shows the new question's `#stage`, then every student votes for it once
over the room socket (with the `poll` field) until every socket shows the final total."""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import replace
from functools import partial

from bench.common.crowd import Crowd, quiet
from bench.common.voters import student_login
from bench.fanout.live import Live
from bench.fanout.meter import Meter, per_group
from bench.fanout.options import Figures, Options
from bench.fanout.phases import burst, connect
from bench.fanout.rows import Row, connect_rows, machine_rows
from bench.fanout.stage import Stage
from bench.fanout.switches import Switches, combined, launch_figures


def room_vote(live: Live, slug: str, n: int) -> str:
    """What htmx's ws extension sends for a room's vote form: its fields (the question the
    student saw, in `poll`) plus HEADERS."""
    headers = {"HX-Request": "true", "HX-Trigger": "vote-form", "HX-Current-URL": live.page_url}
    return json.dumps({"choice": live.choice(n), "poll": slug, "HEADERS": headers})


async def launch(live: Live, options: Options, code: str, switches: Switches, n: int) -> Figures:
    """One "Ask now"; the figures of its switch (launch → first and last socket per process
    as `launched_*`; CPU and bytes of the switch)."""
    assert live.owner is not None
    token = await asyncio.to_thread(live.owner.host_token, code)
    await quiet(0.3)
    live.crowd.reset()
    switches.arm()
    meter = Meter(live)
    launched = time.perf_counter()
    question = f"Question {n + 1}: how well do you follow?"
    asking = asyncio.to_thread(live.owner.ask_in_room, code, token, options.show_voters, question)
    await asyncio.gather(asking, asyncio.wait_for(switches.done.wait(), options.timeout))
    first, last = switches.latency(live.crowd.viewers, launched)
    spent = meter.figures(1)
    figures = {
        "launched_first_ms": first,
        "launched_last_ms": last,
        "launch_cpu_ms": 1000 * spent["server_cpu_s"],
        "launch_kb_per_viewer": spent["kb_per_viewer"],
        "launch_messages_per_viewer": spent["messages_per_viewer"],
    }
    groups: dict[str, Figures] = {}
    for name, (_, group) in live.groups().items():
        first_here, last_here = switches.latency(group, launched)
        groups[name] = {"launched_first_ms": first_here, "launched_last_ms": last_here}
    return per_group(figures, groups)


async def rounds(live: Live, options: Options, code: str, switches: Switches) -> Figures:
    """L rounds of a launch and the burst of votes that follows it."""
    sizes = options.sizes
    voters = min(sizes.room_students, len(live.voters()))
    launches: list[Figures] = []
    bursts: list[Figures] = []
    for n in range(sizes.room_launches):
        launches.append(await launch(live, options, code, switches, n))
        await quiet(0.3)
        now = replace(live, choices=switches.choices(), slug=switches.slug)
        bursts.append(await burst(now, options, voters, partial(room_vote, now, switches.slug)))
        await quiet(0.5)
    figures = combined(launches) | combined(bursts)
    figures |= launch_figures(
        [each["launched_first_ms"] for each in launches],
        [each["launched_last_ms"] for each in launches],
    )
    for name in live.groups():
        first, last = (
            [each[f"{name}|launched_{end}_ms"] for each in launches] for end in ("first", "last")
        )
        figures |= {f"{name}|{key}": value for key, value in launch_figures(first, last).items()}
    return figures


async def measure(live: Live, options: Options) -> Figures:
    if not live.target.app or live.owner is None:
        return {}  # the naive floor has no rooms
    sizes = options.sizes
    code = await asyncio.to_thread(live.owner.create_room)
    if options.roster:  # every student listed: the console's #roster is the room's roster
        students = [student_login(n) for n in range(sizes.room_students)]
        await asyncio.to_thread(live.owner.set_roster, code, students)
    path = f"/r/{code}/ws"
    projector = f"ws://127.0.0.1:{live.server.port}{path}"
    crowd = Crowd(f"{projector}?view=room", live.server.url, live.target.deflate)
    room = replace(live, crowd=crowd, page_url=live.server.url + path)
    try:
        connected = await connect(room, options, sizes.room_students)
        await crowd.open([live.owner.cookie], uris=[f"{projector}?view=host"])
        await quiet(0.5)
        switches = Switches(crowd.viewers)
        return connected | await rounds(room, options, code, switches)
    finally:
        crowd.close()


STAGE = Stage(
    "room",
    measure,
    [
        (
            "room: {room_students} students + the owner's projector and console, "
            "{room_launches} launches",
            [
                *connect_rows("room"),
                Row("launch → first socket shows it p50, ms", "room.launch_first_p50_ms", 1),
                Row("launch → every socket shows it p50, ms", "room.launch_p50_ms", 1),
                Row("launch → every socket shows it p99, ms", "room.launch_p99_ms", 1),
                Row("launch → every socket shows it max, ms", "room.launch_max_ms", 1),
                Row("server CPU per launch, ms", "room.launch_cpu_ms", 1),
                Row("KB per socket per launch", "room.launch_kb_per_viewer", 1),
                Row("messages per socket per launch", "room.launch_messages_per_viewer", 2),
            ],
        ),
        (
            "room: then every student votes once (median of the launches)",
            [
                Row("total in results.json (fewest)", "room.stored_total_min"),
                Row("sockets not showing the final total (most)", "room.viewers_behind_max"),
                Row("settle: last vote sent → every socket final p50, ms", "room.settle_ms"),
                Row("settle: last vote sent → every socket final max, ms", "room.settle_max_ms"),
                Row(
                    "settle: last vote stored → every socket final, ms",
                    "room.settle_after_stored_ms",
                ),
                Row("votes/s stored (first sent → last acknowledged)", "room.stored_per_s"),
                Row("votes refused", "room.refused"),
                Row("messages per socket", "room.messages_per_viewer", 1),
                Row("peak messages per socket in any 1 s", "room.peak_messages_per_s"),
                *machine_rows("room"),
            ],
        ),
    ],
)
