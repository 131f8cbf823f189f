"""A room's screens switching to the next question: when each socket's `#stage` first shows
it, and what the rounds of the room stage add up to."""

from __future__ import annotations

import asyncio
import re
import statistics
from collections.abc import Sequence

from bench.common.crowd import Viewer
from bench.common.stats import percentile
from bench.fanout.options import Figures

STAGE_MARK = b'id="stage"'
POLL = re.compile(rb'data-poll="([^"]*)"')
CHOICE = re.compile(rb'data-choice-id="(\d+)"')


class Switches:
    """Installed as every socket's `on_message`: a `#stage` message naming another question
    than the socket showed is its switch. Each `arm()` starts a launch: `done` is set once
    every socket showed a new question, and the total each socket reads starts again at 0
    (the new question's own)."""

    def __init__(self, viewers: Sequence[Viewer]) -> None:
        self.viewers = list(viewers)
        self.showing: dict[Viewer, str] = dict.fromkeys(self.viewers, "")
        self.at: dict[Viewer, float] = {}
        self.slug = ""
        self.sample = b""  # one socket's switch message: the new question's choice ids
        self.done = asyncio.Event()
        for viewer in self.viewers:
            viewer.on_message = self.heard

    def arm(self) -> None:
        self.at.clear()
        self.sample = b""
        self.done.clear()

    def heard(self, viewer: Viewer, message: bytes, now: float) -> None:
        if STAGE_MARK not in message:
            return
        found = POLL.search(message)
        slug = found.group(1).decode() if found else ""
        if not slug or slug == self.showing.get(viewer, ""):
            return  # the same question again (the host's list changed), or waiting
        self.showing[viewer] = slug
        viewer.total = 0  # the new question's total starts from nothing
        if viewer in self.at:
            return
        self.at[viewer] = now
        self.slug = slug
        if not self.sample and CHOICE.search(message):
            self.sample = message
        if len(self.at) == len(self.viewers):
            self.done.set()

    def choices(self) -> list[str]:
        """The new question's response ids, in order, as a student's switch message has them."""
        return list(dict.fromkeys(match.decode() for match in CHOICE.findall(self.sample)))

    def latency(self, viewers: Sequence[Viewer], launched: float) -> tuple[float, float]:
        """Launch → first and last of `viewers` showing the new question, in ms."""
        times = [self.at[viewer] for viewer in viewers]
        return 1000 * (min(times) - launched), 1000 * (max(times) - launched)


def launch_figures(first: list[float], last: list[float]) -> Figures:
    """Over every launch: launch → first and → last socket showing the new question."""
    return {
        "launch_first_p50_ms": percentile(first, 0.50),
        "launch_p50_ms": percentile(last, 0.50),
        "launch_p99_ms": percentile(last, 0.99),
        "launch_max_ms": max(last, default=None),
    }


# Beside the median of every round: the worst round of these figures, under its own name.
WORST = {"settle_ms": ("settle_max_ms", max), "viewers_behind": ("viewers_behind_max", max)}
WORST |= {"stored_total": ("stored_total_min", min)}


def combined(rounds: Sequence[Figures]) -> Figures:
    """Figures of several rounds as one: the median of each number, and the worst round of
    those in WORST; a word (“not settled”) from any round wins over the numbers."""
    keys = dict.fromkeys(key for figures in rounds for key in figures)
    result: Figures = {}
    for key in keys:
        values = [figures.get(key) for figures in rounds]
        words = [value for value in values if isinstance(value, str)]
        numbers = [value for value in values if isinstance(value, int | float)]
        group, _, name = key.rpartition("|")
        if words:
            result[key] = f"{words[0]} ({len(words)} of {len(values)})"
        elif numbers:
            result[key] = statistics.median(numbers)
            if name in WORST:
                worst, pick = WORST[name]
                result[f"{group}|{worst}" if group else worst] = pick(numbers)
        else:
            result[key] = None
    return result
