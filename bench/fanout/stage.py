"""What a stage of the fan-out benchmark is (the registry is bench/fanout/stages/)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bench.fanout.live import Live
from bench.fanout.options import Figures, Options
from bench.fanout.rows import Section


@dataclass(frozen=True)
class Stage:
    """`name` is the --stages word and the prefix of the figures' keys; `measure` runs the
    stage against a fresh `Live` system; `sections` are what it adds to the printed table."""

    name: str
    measure: Callable[[Live, Options], Awaitable[Figures]]
    sections: list[Section]
