"""crowd: 3,000 viewers: memory per idle connection, then a burst of V votes."""

from __future__ import annotations

from bench.fanout.live import Live
from bench.fanout.options import Figures, Options
from bench.fanout.phases import burst, connect
from bench.fanout.rows import Row, connect_rows, machine_rows, settle_rows
from bench.fanout.stage import Stage


async def measure(live: Live, options: Options) -> Figures:
    sizes = options.sizes
    connected = await connect(live, options, sizes.crowd_viewers)
    return connected | await burst(live, options, sizes.crowd_voters)


STAGE = Stage(
    "crowd",
    measure,
    [
        (
            "{crowd_viewers} viewers connected, {crowd_voters} of them vote at once",
            [
                *connect_rows("crowd"),
                Row("server RSS with every socket idle, MB", "crowd.rss_mb", 1),
                *settle_rows("crowd"),
                Row("peak messages per viewer in any 1 s", "crowd.peak_messages_per_s"),
                *machine_rows("crowd"),
            ],
        ),
    ],
)
