"""Token buckets per key (a user id, a client address): calm limits against floods.

Per process and in memory: a limit is a brake on abuse, not an accounting system, so
several processes each allowing the rate is acceptable. A bucket idle long enough to have
refilled completely is the same as a new one, so it is forgotten: the buckets kept are
those of the last minute or so, not of the whole term."""

from __future__ import annotations

import math
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass

from crowdsource.i18n.current import Text, ntext
from crowdsource.settings import Settings

MAX_KEYS = 50_000  # the least recently seen keys are forgotten beyond this

Refused = Callable[[str], None]  # told a limiter's name each time it refuses (a metric)


def unobserved(name: str) -> None:
    pass


@dataclass(frozen=True)
class Rate:
    """`burst` actions at once, refilled at `per_minute` a minute."""

    burst: int
    per_minute: float

    @property
    def per_second(self) -> float:
        return self.per_minute / 60


class RateLimiter:
    """Buckets by key, least recently used first (so the idle ones are at the front)."""

    def __init__(
        self,
        rate: Rate,
        clock: Callable[[], float] = time.monotonic,
        *,
        name: str = "",
        refused: Refused = unobserved,
    ) -> None:
        self.rate = rate
        self.clock = clock
        self.name = name
        self.refused = refused
        self._buckets: OrderedDict[Hashable, tuple[float, float]] = OrderedDict()

    @property
    def refill_seconds(self) -> float:
        """How long an empty bucket takes to fill up: idle this long, a bucket is full."""
        return self.rate.burst / self.rate.per_second if self.rate.per_second else float("inf")

    def allow(self, key: Hashable) -> bool:
        """Take one token for `key` if there is one."""
        now = self.clock()
        tokens, updated = self._buckets.pop(key, (float(self.rate.burst), now))
        tokens = min(self.rate.burst, tokens + (now - updated) * self.rate.per_second)
        allowed = tokens >= 1
        self._buckets[key] = (tokens - 1 if allowed else tokens, now)
        if len(self._buckets) > MAX_KEYS:
            self._buckets.popitem(last=False)
        self._forget_full(now)
        if not allowed:
            self.refused(self.name)
        return allowed

    def exhausted(self, key: Hashable) -> bool:
        """Whether `key` has no token left right now (nothing is taken)."""
        tokens, updated = self._buckets.get(key, (float(self.rate.burst), self.clock()))
        return min(self.rate.burst, tokens + (self.clock() - updated) * self.rate.per_second) < 1

    def retry_after(self, key: Hashable) -> int:
        """Whole seconds until `key` has a token again (at least 1): what a refusal says."""
        tokens, updated = self._buckets.get(key, (float(self.rate.burst), self.clock()))
        if not self.rate.per_second:
            return 60
        tokens = min(self.rate.burst, tokens + (self.clock() - updated) * self.rate.per_second)
        return max(1, math.ceil((1 - tokens) / self.rate.per_second))

    def _forget_full(self, now: float) -> None:
        """Drop the buckets idle for `refill_seconds` (full again): oldest first, so each
        call does only the work that has come due."""
        idle_since = now - self.refill_seconds
        while self._buckets:
            key, (_tokens, updated) = next(iter(self._buckets.items()))
            if updated > idle_since:
                return
            del self._buckets[key]

    def size(self) -> int:
        """Buckets kept, after forgetting the full ones."""
        self._forget_full(self.clock())
        return len(self._buckets)


class ConnectionLimiter:
    """How many sockets one client address may hold open at once, in this process
    (`web.shared_sockets` counts every process's with REDIS_URL)."""

    def __init__(self, limit: int, *, name: str = "", refused: Refused = unobserved) -> None:
        self.limit = limit
        self.name = name
        self.refused = refused
        self._open: dict[Hashable, int] = {}

    async def admit(self, key: Hashable) -> bool:
        """Take a place for a new socket from `key`; `release` gives it back."""
        return self.acquire(key)

    def count(self, key: Hashable) -> int:
        return self._open.get(key, 0)

    def acquire(self, key: Hashable) -> bool:
        if self._open.get(key, 0) >= self.limit:
            self.refused(self.name)
            return False
        self._open[key] = self._open.get(key, 0) + 1
        return True

    def size(self) -> int:
        """Addresses with a socket open."""
        return len(self._open)

    def release(self, key: Hashable) -> None:
        remaining = self._open.get(key, 0) - 1
        if remaining > 0:
            self._open[key] = remaining
        else:
            self._open.pop(key, None)


@dataclass
class Limits:
    """Every limit the app applies. The defaults let a class of 300 behind one NAT sign in
    within a minute and everyone change their mind a few times a second at most."""

    votes: RateLimiter
    sign_ins: RateLimiter
    poll_creations: RateLimiter
    sockets: ConnectionLimiter
    guests: RateLimiter  # per (address, poll): see web/guest_limit.py
    wrong_codes: RateLimiter  # room codes that lead nowhere, per address (guessing)

    @classmethod
    def from_settings(cls, settings: Settings, refused: Refused = unobserved) -> Limits:
        """`refused` hears every refusal, with the limiter's name (the field's)."""
        votes = Rate(burst=5, per_minute=settings.votes_per_second * 60)
        return cls(
            votes=RateLimiter(votes, name="votes", refused=refused),
            sign_ins=RateLimiter(
                _half_burst(settings.sign_ins_per_minute), name="sign_ins", refused=refused
            ),
            poll_creations=RateLimiter(
                _half_burst(settings.polls_per_minute), name="poll_creations", refused=refused
            ),
            sockets=ConnectionLimiter(
                settings.sockets_per_address, name="sockets", refused=refused
            ),
            guests=RateLimiter(
                _per_hour(settings.guests_per_poll_per_address), name="guests", refused=refused
            ),
            wrong_codes=RateLimiter(WRONG_CODES, name="wrong_codes", refused=refused),
        )


# Only wrong codes count, so a class of 300 behind one NAT typing the right one never waits;
# a guesser gets 30 tries a minute out of 32^6 codes.
WRONG_CODES = Rate(burst=30, per_minute=30)


def _per_hour(count: int) -> Rate:
    """`count` at once, refilled over an hour."""
    return Rate(burst=count, per_minute=count / 60)


def _half_burst(per_minute: float) -> Rate:
    return Rate(burst=max(1, int(per_minute // 2)), per_minute=per_minute)


SLOW_DOWN = Text("You are going a little fast. Wait a moment, then try again.")


def wait_to_create(seconds: int) -> Text:
    """The create form's message when polls come too fast: the form stays as typed."""
    return ntext(
        "You are creating polls a little fast. Wait %(count)s second, then press Create poll "
        "again: what you typed is kept.",
        "You are creating polls a little fast. Wait %(count)s seconds, then press Create poll "
        "again: what you typed is kept.",
        seconds,
    )
