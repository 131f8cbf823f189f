"""“Poll X changed” and “user X's sessions ended” through Redis pub/sub, heard by every process.

Both go on one channel (see `messages`); a listener task hands every message (this process's
own included) to its listener. Redis being down never reaches the vote path (nor sign-out):
the news then goes to this process straight away, the listener reconnects with capped
exponential backoff, and `on_resync` runs after every reconnect (pub/sub keeps nothing).

"N watching" across processes: each process keeps its own count of a poll's sockets in one
Redis hash per poll (field: the process, value: count and time), refreshed by the
publisher every few seconds. A process that stops refreshing (it crashed) stops counting
after PRESENCE_STALE_SECONDS; one that stops cleanly removes its counts.
Every channel and key is named under REDIS_PREFIX (`RedisBroker.name`, `redis_names`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid
from typing import Any

from redis.asyncio import Redis

import crowdsource.realtime.broker.messages as wire
import crowdsource.realtime.broker.redis_names as names
from crowdsource.domain.service_urls import masked_url
from crowdsource.realtime.broker.protocol import (
    GroupKey,
    Listener,
    ResyncListener,
    SessionsListener,
    Voters,
    VotesListener,
)
from crowdsource.realtime.broker.redis_connection import (
    CONNECTION_ERRORS,
    MAX_BACKOFF,
    MIN_BACKOFF,
    next_backoff,
    redis_client,
)

log = logging.getLogger("crowdsource.broker")

PRESENCE_STALE_SECONDS = 15.0  # a count not refreshed for this long is a dead process's
PRESENCE_KEY_TTL = 60  # seconds: a poll nobody watches any more leaves no key behind


class RedisBroker:
    """Broker over Redis pub/sub. Announces from creation (other processes may listen) until
    `stop()`; hears changes between `start()` and `stop()`."""

    def __init__(
        self,
        url: str,
        *,
        prefix: str = names.DEFAULT_PREFIX,
        channel: str | None = None,
        min_backoff: float = MIN_BACKOFF,
        max_backoff: float = MAX_BACKOFF,
        presence_stale: float = PRESENCE_STALE_SECONDS,
    ) -> None:
        self.url = url
        self.prefix = prefix
        self.channel = channel or self.name(names.POLL_CHANGED)
        self.min_backoff = min_backoff
        self.max_backoff = max_backoff
        self.presence_stale = presence_stale
        self.process = uuid.uuid4().hex  # this process's field in the presence hashes
        self._watched: set[GroupKey] = set()  # polls and rooms with a count recorded here
        self._client: Redis | None = redis_client(url)  # connects on first use
        self._listener: asyncio.Task[None] | None = None
        self._listeners: wire.Listeners | None = None
        self._subscribed = False
        self._missed_messages = False  # set when a subscription failed or was lost
        self._publish_failing = False  # to log an outage once, not once per vote

    def name(self, *parts: object) -> str:
        """Every channel and key this broker uses: `<REDIS_PREFIX>:part:part`."""
        return names.redis_name(self.prefix, *parts)

    @property
    def subscribed(self) -> bool:
        """True while the listener is connected and subscribed."""
        return self._subscribed

    async def start(
        self,
        on_change: Listener,
        on_resync: ResyncListener,
        on_sessions_ended: SessionsListener | None = None,
        on_room_changed: Listener | None = None,
        on_votes_changed: VotesListener | None = None,
    ) -> None:
        """Start listening; returns once the first subscription succeeded or failed.

        Redis being down here is not fatal (`crowdsource serve` checks it beforehand):
        the listener keeps trying and resynchronises once it gets through."""
        self._listeners = wire.Listeners(on_change, on_resync, on_sessions_ended, on_room_changed)
        if self._client is None:
            self._client = redis_client(self.url)
        first_attempt = asyncio.Event()
        self._listener = asyncio.create_task(self._listen(first_attempt), name="redis-broker")
        await first_attempt.wait()

    async def poll_changed(self, poll_id: int) -> None:
        await self._announce(wire.PollChanged(poll_id))

    async def votes_changed(self, poll_id: int, voters: Voters = None) -> None:
        """The channel carries one “poll X changed” (what every version understands): every
        process, this one included, reads the poll whole again."""
        await self._announce(wire.PollChanged(poll_id))

    async def room_changed(self, room_id: int) -> None:
        await self._announce(wire.RoomChanged(room_id))

    async def sessions_ended(self, user_id: int) -> None:
        await self._announce(wire.SessionsEnded(user_id))

    async def _announce(self, message: wire.Message) -> None:
        if self._client is None:
            return
        try:
            await self._publish(self._client, wire.encode(message))
        except CONNECTION_ERRORS as error:
            if not self._publish_failing:
                log.warning("cannot publish to Redis (%s); updating local viewers only", error)
            self._publish_failing = True
            await self._deliver(message)
            return
        if self._publish_failing:
            log.info("publishing to Redis works again")
            self._publish_failing = False
        if not self._subscribed:
            # Our own message will not come back to us: update this process directly.
            await self._deliver(message)

    async def _publish(self, client: Redis, payload: str) -> None:
        """Publish; after a failure drop every idle connection, and try once more when
        publishing worked until now.

        Connections opened before Redis restarted are dead, yet the pool may hand one out as
        healthy (it checked only one of them, or none, while Redis was away). Publishing on it
        fails; without dropping them and retrying, the change would reach this process only,
        and the others, resynchronised already after their own reconnect, would stay wrong.
        While already failing (Redis away) one attempt per change is enough."""
        try:
            await client.publish(self.channel, payload)
        except CONNECTION_ERRORS:
            with contextlib.suppress(*CONNECTION_ERRORS):
                await client.connection_pool.disconnect(inuse_connections=False)
            if self._publish_failing:
                raise
            await client.publish(self.channel, payload)

    async def watching_elsewhere(self, group: GroupKey, here: int) -> int:
        if self._client is None:
            return 0
        key = self.name(names.WATCHING, group)
        now = time.time()
        try:
            async with self._client.pipeline(transaction=False) as pipe:
                if here:
                    pipe.hset(key, self.process, f"{here} {now:.3f}")
                    pipe.expire(key, PRESENCE_KEY_TTL)
                else:
                    pipe.hdel(key, self.process)
                pipe.hgetall(key)
                *_, entries = await pipe.execute()
        except CONNECTION_ERRORS:
            return 0  # Redis away: this process counts its own viewers only
        (self._watched.add if here else self._watched.discard)(group)
        elsewhere, stale = 0, []
        for process, value in entries.items():
            if process.decode(errors="replace") == self.process:
                continue
            count, recorded = _presence_entry(value)
            if now - recorded > self.presence_stale:
                stale.append(process)
            else:
                elsewhere += count
        if stale:
            with contextlib.suppress(*CONNECTION_ERRORS):
                await self._client.hdel(key, *stale)
        return elsewhere

    async def _forget_presence(self, client: Redis) -> None:
        """On a clean stop, this process's viewers stop counting at once."""
        watched, self._watched = self._watched, set()
        if not watched:
            return
        with contextlib.suppress(*CONNECTION_ERRORS):
            async with client.pipeline(transaction=False) as pipe:
                for group in watched:
                    pipe.hdel(self.name(names.WATCHING, group), self.process)
                await pipe.execute()

    async def stop(self) -> None:
        listener, self._listener = self._listener, None
        if listener is not None:
            listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await listener
        client, self._client = self._client, None
        if client is not None:
            await self._forget_presence(client)
            await client.aclose()
        self._listeners = None

    async def _listen(self, first_attempt: asyncio.Event) -> None:
        delay = self.min_backoff
        while True:
            assert self._client is not None
            pubsub = self._client.pubsub()
            try:
                await pubsub.subscribe(self.channel)
                async for message in pubsub.listen():
                    if await self._handle(message, first_attempt):
                        delay = self.min_backoff
            except CONNECTION_ERRORS as error:
                log.warning(
                    "Redis pub/sub at %s unavailable (%s); retrying in %.1f s",
                    masked_url(self.url),
                    error,
                    delay,
                )
            finally:
                self._subscribed = False
                self._missed_messages = True
                first_attempt.set()
                with contextlib.suppress(*CONNECTION_ERRORS):
                    await pubsub.aclose()
            await asyncio.sleep(delay)
            delay = next_backoff(delay, self.max_backoff)

    async def _handle(self, message: dict[str, Any], first_attempt: asyncio.Event) -> bool:
        """Act on one pub/sub message; True when it confirmed a (re)subscription."""
        if message["type"] == "subscribe":
            # A confirmation while already subscribed means the client resubscribed by itself.
            missed = self._missed_messages or self._subscribed
            self._subscribed, self._missed_messages = True, False
            first_attempt.set()
            if missed:
                log.info("Redis pub/sub is back; resynchronising local viewers")
                await self._resync()
            return True
        if message["type"] == "message":
            decoded = wire.decode(message["data"])
            if decoded is None:
                log.warning("ignoring a malformed message on %s: %r", self.channel, message)
                return False
            await self._deliver(decoded)
        return False

    async def _deliver(self, message: wire.Message) -> None:
        if self._listeners is None:
            return
        try:
            await self._listeners.deliver(message)
        except Exception:  # a listener's bug must not stop delivery of later news
            log.exception("delivering %s failed", message)

    async def _resync(self) -> None:
        if self._listeners is None:
            return
        try:
            await self._listeners.on_resync()
        except Exception:  # same reason as in _deliver
            log.exception("on_resync failed")


def _presence_entry(value: bytes) -> tuple[int, float]:
    """(count, time recorded) from a presence field; anything unreadable counts as stale."""
    try:
        count, recorded = value.split()
        return max(int(count), 0), float(recorded)
    except ValueError:
        return 0, 0.0
