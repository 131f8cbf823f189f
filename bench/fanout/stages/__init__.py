"""The stages of the fan-out benchmark, in the order they run and print.

A stage is one module here with a `STAGE` (bench/fanout/stage.py). To add one: write its
module, list it in STAGES below, and give options.Sizes (and cli.py) any sizes it needs."""

from __future__ import annotations

from bench.fanout.stage import Stage
from bench.fanout.stages import burst, crowd, room, school, steady

STAGES: dict[str, Stage] = {
    stage.name: stage
    for stage in (steady.STAGE, burst.STAGE, crowd.STAGE, room.STAGE, school.STAGE)
}
