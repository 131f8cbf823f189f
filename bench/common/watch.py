"""How far a phase has got: which vote totals the viewers show, and since when."""

from __future__ import annotations

import asyncio


class Watch:
    """Progress of one phase: for each vote number, how many viewers show it and when the
    first and the last of them started to. Vote numbers are totals, which only grow here."""

    def __init__(self, viewers: int, base: int, votes: int) -> None:
        self.viewers = viewers
        self.base = base
        self.votes = votes
        self.reached = [0] * votes
        self.first_seen = [0.0] * votes
        self.last_seen = [0.0] * votes
        self.finished = 0
        self.done = asyncio.Event()
        self.done_at = 0.0
        self.parts: dict[str, Watch] = {}  # the same progress per group of viewers
        if votes == 0 or viewers == 0:
            self.done.set()

    @property
    def final(self) -> int:
        return self.base + self.votes

    def advance(self, old: int, new: int, now: float) -> None:
        for index in range(max(old, self.base) - self.base, min(new, self.final) - self.base):
            if not self.reached[index]:
                self.first_seen[index] = now
            self.reached[index] += 1
            self.last_seen[index] = now
        if old < self.final <= new:
            self.finished += 1
            if self.finished == self.viewers:
                self.done_at = now
                self.done.set()
