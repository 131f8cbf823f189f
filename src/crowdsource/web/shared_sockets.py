"""SOCKETS_PER_ADDRESS across every process of a deployment (with REDIS_URL): without it,
`--workers N` or N machines let one address hold N times the limit.

Each process keeps its own count per address (`ConnectionLimiter`) and records it in one
Redis hash per address, a field per process with the time it was written, the way "N
watching" is counted. A new socket is admitted when this process's count plus the other
processes' recent ones stay within the limit, checked and recorded in one script so two
processes cannot both take the last place. Counts are rewritten every few seconds; a
crashed process's stop counting after `STALE_SECONDS`. While Redis is away each process
applies the limit to its own sockets."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid
from collections.abc import AsyncIterator, Hashable
from contextlib import asynccontextmanager

from redis.asyncio import Redis

from crowdsource.realtime.broker.redis_connection import CONNECTION_ERRORS, redis_client
from crowdsource.realtime.broker.redis_names import DEFAULT_PREFIX, redis_name
from crowdsource.settings import Settings
from crowdsource.web.ratelimit import ConnectionLimiter, Refused, unobserved

log = logging.getLogger("crowdsource.web")

SOCKETS = "sockets"  # the hash of one address: `<REDIS_PREFIX>:sockets:<address>`
REFRESH_SECONDS = 5.0  # how often this process rewrites its counts (and sends its releases)
STALE_SECONDS = 20.0  # a count not rewritten for this long is a crashed process's
KEY_TTL_SECONDS = 60  # an address nobody holds sockets from leaves no key behind

# KEYS[1]: the address's hash. ARGV: this process, limit, now, stale seconds, this process's
# count with the new socket, key TTL. 1 when admitted (and recorded), 0 when refused.
ADMIT_SCRIPT = """
local key, me = KEYS[1], ARGV[1]
local limit, now, stale = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local total = tonumber(ARGV[5])
local entries = redis.call('HGETALL', key)
for i = 1, #entries, 2 do
  if entries[i] ~= me then
    local count, seen = string.match(entries[i + 1], '^(%d+) ([%d.]+)$')
    if count and now - tonumber(seen) <= stale then
      total = total + tonumber(count)
    else
      redis.call('HDEL', key, entries[i])
    end
  end
end
if total > limit then return 0 end
redis.call('HSET', key, me, ARGV[5] .. ' ' .. ARGV[3])
redis.call('EXPIRE', key, tonumber(ARGV[6]))
return 1
"""


class SharedConnectionLimiter(ConnectionLimiter):
    """`ConnectionLimiter` whose `admit` also counts the other processes' sockets."""

    def __init__(
        self,
        limit: int,
        client: Redis,
        *,
        prefix: str = DEFAULT_PREFIX,
        refresh: float = REFRESH_SECONDS,
        stale: float = STALE_SECONDS,
        refused: Refused = unobserved,
    ) -> None:
        super().__init__(limit, name="sockets", refused=refused)
        self.client = client
        self.prefix = prefix
        self.refresh = refresh
        self.stale = stale
        self.process = uuid.uuid4().hex  # this process's field in every address's hash
        self._admit = client.register_script(ADMIT_SCRIPT)
        self._released: set[Hashable] = set()  # addresses whose lower count Redis lacks
        self._wake = asyncio.Event()
        self._writer: asyncio.Task[None] | None = None
        self._failing = False  # to log an outage once

    def _key(self, address: Hashable) -> str:
        return redis_name(self.prefix, SOCKETS, address)

    async def admit(self, key: Hashable) -> bool:
        if not self.acquire(key):  # never more than the limit in this process alone
            return False
        here = self.count(key)  # with the new socket
        args = [self.process, self.limit, _now(), self.stale, here, KEY_TTL_SECONDS]
        try:
            admitted = await self._admit(keys=[self._key(key)], args=args)
        except CONNECTION_ERRORS:
            self._warn_once()
            return True
        self._failing = False
        if not admitted:  # the other processes hold the rest of this address's places
            super().release(key)
            self.refused(self.name)
            return False
        return True

    def release(self, key: Hashable) -> None:
        super().release(key)
        self._released.add(key)
        self._wake.set()

    async def start(self) -> None:
        self._writer = asyncio.create_task(self._write_counts(), name="shared socket counts")

    async def stop(self) -> None:
        """Stop rewriting, and remove this process's counts: its sockets are closed."""
        writer, self._writer = self._writer, None
        if writer is not None:
            writer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await writer
        keys = set(self._open) | self._released
        with contextlib.suppress(*CONNECTION_ERRORS):
            if keys:
                async with self.client.pipeline(transaction=False) as pipe:
                    for key in keys:
                        pipe.hdel(self._key(key), self.process)
                    await pipe.execute()
        await self.client.aclose()

    async def _write_counts(self) -> None:
        """Releases soon after they happen (batched), every count each `refresh` seconds."""
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.refresh)
            self._wake.clear()
            released, self._released = self._released, set()
            try:
                await self._write(set(self._open) | released)
            except CONNECTION_ERRORS:
                self._released |= released
                self._warn_once()
                await asyncio.sleep(self.refresh)

    async def _write(self, keys: set[Hashable]) -> None:
        if not keys:
            return
        now = _now()
        async with self.client.pipeline(transaction=False) as pipe:
            for key in keys:
                name, count = self._key(key), self.count(key)
                if count:
                    pipe.hset(name, self.process, f"{count} {now}")
                    pipe.expire(name, KEY_TTL_SECONDS)
                else:
                    pipe.hdel(name, self.process)
            await pipe.execute()
        self._failing = False

    def _warn_once(self) -> None:
        if not self._failing:
            log.warning("Redis is unreachable: each process limits sockets per address alone")
        self._failing = True


def socket_limiter(settings: Settings, refused: Refused = unobserved) -> ConnectionLimiter:
    """Counted across processes through Redis when REDIS_URL is set, else in this one."""
    if settings.redis_url is None:
        return ConnectionLimiter(settings.sockets_per_address, name="sockets", refused=refused)
    client = redis_client(settings.redis_url)
    return SharedConnectionLimiter(
        settings.sockets_per_address, client, prefix=settings.redis_prefix, refused=refused
    )


@asynccontextmanager
async def counting_sockets(limiter: ConnectionLimiter) -> AsyncIterator[None]:
    """Keep a shared limiter's counts written while the block lasts (the app's lifespan)."""
    if not isinstance(limiter, SharedConnectionLimiter):
        yield
        return
    await limiter.start()
    try:
        yield
    finally:
        await limiter.stop()


def _now() -> str:
    return f"{time.time():.3f}"
