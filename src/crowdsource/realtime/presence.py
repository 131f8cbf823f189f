"""“N watching” for each poll (“N in the room” for each room) with local sockets: counted
here and in the other processes, sent at most once a second per poll, exchanged with the
broker off the publishing loop."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import Counter
from collections.abc import Callable
from typing import Any

from crowdsource.realtime.broker.protocol import GroupKey, WatchingElsewhere, nobody_elsewhere
from crowdsource.realtime.fragments import Fragments
from crowdsource.realtime.hub import Hub
from crowdsource.realtime.languages import PerLanguage

log = logging.getLogger("crowdsource.realtime")

PRESENCE_SECONDS = 1.0  # "N watching" at most this often: a class joining at once is O(N)
# ... and a large audience's count no more often than this many sockets are told per second:
# while 5,000 join over a minute, telling all of them every second would cost 5,000 writes a
# second for the whole minute (sockets x seconds); every 5 s keeps it at 1,000 a second.
PRESENCE_SOCKETS_PER_SECOND = 1000
PRESENCE_REFRESH_SECONDS = 2.0  # how often counts are exchanged with the other processes


def presence_interval(sockets: int) -> float:
    """Seconds between two counts sent to a poll's `sockets` here."""
    return max(PRESENCE_SECONDS, sockets / PRESENCE_SOCKETS_PER_SECOND)


class Presence:
    """Counts sockets per poll. `changed()` marks a poll whose count moved; the publishing
    loop calls `flush()` after each round, after the results, and `wake` asks it for a round.
    Only polls with sockets here have any bookkeeping."""

    def __init__(
        self,
        hub: Hub[Any],
        fragments: Fragments,
        renders: Counter[str],
        wake: Callable[[], None],
        *,
        watching_elsewhere: WatchingElsewhere = nobody_elsewhere,
        refresh: float = PRESENCE_REFRESH_SECONDS,
    ) -> None:
        self.hub = hub
        self.fragments = fragments
        self.renders = renders
        self.wake = wake
        self.watching_elsewhere = watching_elsewhere
        self.refresh = refresh
        self._pending: set[GroupKey] = set()  # polls whose count is to be sent
        self._sent_at: dict[GroupKey, float] = {}  # poll -> loop time of the last count sent
        self._shown: dict[GroupKey, int] = {}  # poll -> the count last sent
        self._elsewhere: dict[GroupKey, int] = {}  # poll -> sockets in other processes, last known
        self._reported: set[GroupKey] = set()  # polls whose count here the broker has
        self._exchange: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._exchange = asyncio.create_task(self._exchange_forever(), name="crowdsource-presence")

    async def stop(self) -> None:
        if self._exchange is not None:
            self._exchange.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._exchange

    def changed(self, group: GroupKey) -> None:
        """A socket joined or left the poll."""
        self._pending.add(group)
        self.wake()

    def forget(self, group: GroupKey) -> None:
        """The last local socket of the poll left."""
        self._sent_at.pop(group, None)
        self._shown.pop(group, None)
        self._elsewhere.pop(group, None)

    def watching(self, group: GroupKey) -> int:
        """Sockets of this poll here, plus the other processes' as last heard."""
        return self.hub.count(group) + self._elsewhere.get(group, 0)

    def tracked(self) -> set[GroupKey]:
        """The polls presence keeps counts or times for."""
        return {*self._sent_at, *self._shown, *self._elsewhere}

    def flush(self) -> None:
        """Send every pending count that is due; the others wait for their second."""
        pending, self._pending = self._pending, set()
        for group in pending:
            self._send_soon(group)

    def _send_soon(self, group: GroupKey) -> None:
        """Send the count now, or once its interval has passed since the last one: otherwise
        300 people joining would each be told of the 299 others one by one."""
        if not self.hub.count(group):  # nobody here to tell
            return
        loop = asyncio.get_running_loop()
        every = presence_interval(self.hub.count(group))
        wait = self._sent_at.get(group, -every) + every - loop.time()
        if wait > 0:
            if group not in self._pending:
                self._pending.add(group)
                loop.call_later(wait, self.wake)
            return
        self._sent_at[group] = loop.time()
        watching = self.watching(group)
        if self._shown.get(group) != watching:
            self._shown[group] = watching
            in_room = isinstance(group, str)
            said = PerLanguage(
                lambda: self.fragments.presence(watching, in_room=in_room), self.renders, "presence"
            )
            for member in self.hub.members(group):
                member.client.offer(said.frame(member.viewer.language))

    async def _exchange_forever(self) -> None:
        """Every few seconds: tell the broker how many watch each poll here, and learn how
        many watch it elsewhere. Off the publishing loop, so a slow broker never delays
        results; a poll nobody here watches any more is reported once as 0."""
        while True:
            await asyncio.sleep(self.refresh)
            groups = set(self.hub.groups())
            for group in groups | self._reported:
                here = self.hub.count(group)
                try:
                    elsewhere = await self.watching_elsewhere(group, here)
                except Exception:  # the broker's failure must not stop the exchange
                    log.exception("exchanging presence of poll %s failed", group)
                    continue
                # Checked again: the last socket may have left during the await.
                if self.hub.count(group) and self._elsewhere.get(group, 0) != elsewhere:
                    self._elsewhere[group] = elsewhere
                    self.changed(group)
            self._reported = {group for group in groups if self.hub.count(group)}
