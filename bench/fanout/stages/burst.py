"""burst: V voters vote at once while N watch; then one probe vote (bytes at V votes)."""

from __future__ import annotations

from bench.fanout.live import Live
from bench.fanout.options import Figures, Options
from bench.fanout.phases import burst, connect, probe_update
from bench.fanout.rows import Row, machine_rows, settle_rows
from bench.fanout.stage import Stage


async def measure(live: Live, options: Options) -> Figures:
    sizes = options.sizes
    connected = await connect(live, options, sizes.burst_viewers)
    return (
        connected
        | await burst(live, options, sizes.burst_voters)
        | await probe_update(live, options)
    )


STAGE = Stage(
    "burst",
    measure,
    [
        (
            "one update (one vote, every viewer shows it)",
            [
                Row("bytes per viewer, poll at {warm} votes", "steady.update_bytes"),
                Row("bytes per viewer, poll at {burst_voters} votes", "burst.update_bytes"),
                Row(
                    "bytes on the wire per viewer, poll at {warm} votes",
                    "steady.update_wire_bytes",
                ),
                Row(
                    "bytes on the wire per viewer, poll at {burst_voters} votes",
                    "burst.update_wire_bytes",
                ),
                Row("messages per viewer per update", "burst.update_messages", 2),
            ],
        ),
        (
            "burst: {burst_voters} voters at once, {burst_viewers} watching",
            [
                *settle_rows("burst"),
                Row("votes/s stored (first sent → last acknowledged)", "burst.stored_per_s"),
                Row("votes/s shown (first sent → every viewer final)", "burst.shown_per_s"),
                Row("messages per viewer", "burst.messages_per_viewer", 1),
                Row("peak messages per viewer in any 1 s", "burst.peak_messages_per_s"),
                Row("KB per viewer (payload)", "burst.kb_per_viewer", 1),
                Row("KB per viewer on the wire", "burst.wire_kb_per_viewer", 1),
                Row("server CPU, s", "burst.server_cpu_s", 2),
                *machine_rows("burst"),
            ],
        ),
    ],
)
