"""From "poll X changed" to bytes on sockets: coalesce per poll per tick, re-read the database,
render once per audience variant, hand the same string to every local socket of that variant.

Per-viewer renders happen only where a message really differs per viewer: the full state on
connect or resync, when one viewer's audience changes (they voted on an `after_vote` poll),
and when a poll reopens (each viewer gets their own vote form back)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from crowdsource.domain import clock
from crowdsource.domain.models import Poll, User
from crowdsource.domain.tally import Tally, tally_of
from crowdsource.domain.visibility import Audience, audience_for
from crowdsource.realtime import fragments
from crowdsource.realtime.broker.protocol import WatchingElsewhere, nobody_elsewhere
from crowdsource.realtime.hub import Client, Hub, Socket

log = logging.getLogger("crowdsource.realtime")

TICK_SECONDS = 0.05
RETRY_SECONDS = 1.0  # after a failed publish (database away), try that poll again
PRESENCE_SECONDS = 1.0  # "N watching" at most this often: a class joining at once is O(N)
PRESENCE_REFRESH_SECONDS = 2.0  # how often counts are exchanged with the other processes
GOING_AWAY = 1001
SERVICE_RESTART = 1012


@dataclass(frozen=True)
class Viewer:
    """Who is behind one socket."""

    poll_id: int
    user: User | None
    csrf_token: str
    surface: str = fragments.PAGE
    share_url: str = ""

    @property
    def user_id(self) -> int | None:
        return self.user.id if self.user else None

    @property
    def audience_id(self) -> int | None:
        """Projector and embed show what the room may see, even on the owner's screen."""
        return self.user_id if self.surface == fragments.PAGE else None


@dataclass(frozen=True)
class Snapshot:
    """The last state of a poll that this process pushed: the baseline for deltas, and a
    cache of what full-state renders of it share (a restart reconnects every viewer)."""

    poll: Poll
    tally: Tally
    rendered: dict[tuple[str, ...], str] = field(default_factory=dict, compare=False)

    @property
    def rules(self) -> tuple[str, str]:
        return (self.poll.results_visibility, self.poll.show_voters)

    @property
    def timing(self) -> tuple[object, ...]:
        return (self.poll.closes_at, self.poll.closed_at)

    @property
    def controls(self) -> tuple[object, ...]:
        """What the owner's controls depend on."""
        return (*self.rules, *self.timing)


class Publisher:
    """`watching_elsewhere` is the broker's: "N watching" counts every process's sockets."""

    def __init__(
        self,
        hub: Hub,
        *,
        tick: float = TICK_SECONDS,
        watching_elsewhere: WatchingElsewhere = nobody_elsewhere,
        presence_refresh: float = PRESENCE_REFRESH_SECONDS,
    ) -> None:
        self.hub = hub
        self.tick = tick
        self.watching_elsewhere = watching_elsewhere
        self.presence_refresh = presence_refresh
        self.renders: Counter[str] = Counter()
        self._snapshots: dict[int, Snapshot] = {}
        self._dirty: set[int] = set()
        self._presence_dirty: set[int] = set()
        self._presence_sent: dict[int, float] = {}
        self._presence_shown: dict[int, int] = {}
        self._elsewhere: dict[int, int] = {}  # poll -> sockets in other processes, last known
        self._reported: set[int] = set()  # polls whose count here the broker has
        self._wakeup = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._exchange: asyncio.Task[None] | None = None

    # -- lifecycle ---------------------------------------------------------------------

    def start(self) -> None:
        self._wakeup = asyncio.Event()  # bound to the loop that runs the app this time
        self._task = asyncio.create_task(self._run(), name="crowdsource-publisher")
        self._exchange = asyncio.create_task(self._exchange_presence(), name="crowdsource-presence")

    async def stop(self, close_code: int = SERVICE_RESTART) -> None:
        """Stop publishing and close every socket (1012: browsers reconnect)."""
        for task in (self._task, self._exchange):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        self.hub.close_all(close_code, "server restarting")
        await asyncio.sleep(0)

    # -- what the broker and the socket route call ---------------------------------------

    async def on_change(self, poll_id: int) -> None:
        """A poll's stored state changed (in this or another process)."""
        if self.hub.count(poll_id):
            self._dirty.add(poll_id)
            self._wakeup.set()

    async def resync_all(self) -> None:
        """Changes may have been missed (broker reconnect): re-read every local poll."""
        self._dirty.update(self.hub.rooms())
        self._wakeup.set()

    async def connect(
        self,
        socket: Socket,
        poll: Poll,
        user: User | None,
        csrf: str,
        surface: str = fragments.PAGE,
        share_url: str = "",
    ) -> Client:
        """Join a socket to its poll's room; the full current state is its first message."""
        if poll.id not in self._snapshots:
            snapshot = Snapshot(poll, await tally_of(poll))
            self._snapshots.setdefault(poll.id, snapshot)
        viewer = Viewer(poll.id, user, csrf, surface, share_url)
        client = Client(socket=socket, resync=self._render_full, viewer=viewer)
        client.variant = self._audience(self._snapshots[poll.id], viewer).variant
        client.request_resync()
        self.hub.join(poll.id, client)
        self._presence_dirty.add(poll.id)
        self._wakeup.set()
        return client

    async def disconnect(self, client: Client) -> None:
        poll_id = client.viewer.poll_id
        await self.hub.leave(poll_id, client)
        if self.hub.count(poll_id):
            self._presence_dirty.add(poll_id)
            self._wakeup.set()
        else:
            self._snapshots.pop(poll_id, None)
            self._presence_sent.pop(poll_id, None)
            self._presence_shown.pop(poll_id, None)
            self._elsewhere.pop(poll_id, None)

    # -- the loop ------------------------------------------------------------------------

    async def _run(self) -> None:
        while True:
            await self._wakeup.wait()
            self._wakeup.clear()
            dirty, self._dirty = self._dirty, set()
            presence, self._presence_dirty = self._presence_dirty, set()
            for poll_id in dirty:
                try:
                    await self._publish(poll_id)
                except Exception:  # one poll's failure must not stop the others' updates
                    log.exception("publishing poll %s failed; retrying", poll_id)
                    self._dirty.add(poll_id)
                    asyncio.get_running_loop().call_later(RETRY_SECONDS, self._wakeup.set)
            for poll_id in presence:
                self._publish_presence_soon(poll_id)
            await asyncio.sleep(self.tick)  # changes during the tick wait for the next round

    async def _publish(self, poll_id: int) -> None:
        if not self.hub.count(poll_id):
            self._snapshots.pop(poll_id, None)
            return
        poll = await Poll.get_or_none(id=poll_id)
        if poll is None:
            self._publish_gone(poll_id)
            return
        now = clock.now()
        after = Snapshot(poll, await tally_of(poll, now))
        before = self._snapshots.get(poll_id, after)
        self._snapshots[poll_id] = after
        closed_now = before.tally.is_open and not after.tally.is_open
        reopened = not before.tally.is_open and after.tally.is_open
        controls_changed = closed_now or reopened or before.controls != after.controls
        shared: dict[tuple[str, str], str] = {}
        for client in self.hub.clients(poll_id):
            audience = self._audience(after, client.viewer, now)
            owner_page = self._is_owner_page(after, client.viewer)
            if reopened or audience.variant != client.variant or (owner_page and controls_changed):
                client.variant = audience.variant
                client.request_resync()
                continue
            key = (client.viewer.surface, audience.variant)
            if key not in shared:
                shared[key] = self._render_shared(before, after, audience, key[0], closed_now)
            client.offer(shared[key])

    def _render_shared(
        self, before: Snapshot, after: Snapshot, audience: Audience, surface: str, closed: bool
    ) -> str:
        """One render per surface and audience variant per tick, whatever the viewers."""
        if closed:
            self.renders["closed"] += 1
            return fragments.closed_state(after.tally, audience, surface)
        if before.rules != after.rules:
            self.renders["reveal"] += 1
            return fragments.poll_meta(after.tally) + fragments.results(
                after.tally, audience, surface
            )
        self.renders["delta"] += 1
        meta = fragments.poll_meta(after.tally) if before.timing != after.timing else ""
        return meta + fragments.delta(before.tally, after.tally, audience, surface)

    def _publish_presence_soon(self, poll_id: int) -> None:
        """Send the count now, or once PRESENCE_SECONDS have passed since the last one:
        otherwise 300 people joining would each be told of the 299 others one by one."""
        loop = asyncio.get_running_loop()
        wait = self._presence_sent.get(poll_id, -PRESENCE_SECONDS) + PRESENCE_SECONDS - loop.time()
        if wait > 0:
            if poll_id not in self._presence_dirty:
                self._presence_dirty.add(poll_id)
                loop.call_later(wait, self._wakeup.set)
            return
        self._presence_sent[poll_id] = loop.time()
        self._publish_presence(poll_id)

    def _watching(self, poll_id: int) -> int:
        """Sockets of this poll here, plus the other processes' as last heard."""
        return self.hub.count(poll_id) + self._elsewhere.get(poll_id, 0)

    def _publish_presence(self, poll_id: int) -> None:
        watching = self._watching(poll_id)
        if self.hub.count(poll_id) and self._presence_shown.get(poll_id) != watching:
            self._presence_shown[poll_id] = watching
            self.renders["presence"] += 1
            message = fragments.presence(watching)
            for client in self.hub.clients(poll_id):
                client.offer(message)

    async def _exchange_presence(self) -> None:
        """Every few seconds: tell the broker how many watch each poll here, and learn how
        many watch it elsewhere. Off the publishing loop, so a slow broker never delays
        results; a poll nobody here watches any more is reported once as 0."""
        while True:
            await asyncio.sleep(self.presence_refresh)
            rooms = set(self.hub.rooms())
            for poll_id in rooms | self._reported:
                here = self.hub.count(poll_id)
                try:
                    elsewhere = await self.watching_elsewhere(poll_id, here)
                except Exception:  # the broker's failure must not stop the exchange
                    log.exception("exchanging presence of poll %s failed", poll_id)
                    continue
                if here and self._elsewhere.get(poll_id, 0) != elsewhere:
                    self._elsewhere[poll_id] = elsewhere
                    self._presence_dirty.add(poll_id)
                    self._wakeup.set()
            self._reported = {poll_id for poll_id in rooms if self.hub.count(poll_id)}

    def _publish_gone(self, poll_id: int) -> None:
        self._snapshots.pop(poll_id, None)
        message = fragments.gone()
        for client in self.hub.clients(poll_id):
            client.offer(message)
            client.close(1000, "poll deleted")

    # -- per-viewer renders --------------------------------------------------------------

    @staticmethod
    def _is_owner_page(snapshot: Snapshot, viewer: Viewer) -> bool:
        owner_id = snapshot.poll.owner_id  # type: ignore[attr-defined]
        return viewer.surface == fragments.PAGE and viewer.user_id == owner_id

    def _audience(
        self, snapshot: Snapshot, viewer: Viewer, now: datetime | None = None
    ) -> Audience:
        voted = snapshot.tally.choice_of(viewer.audience_id) is not None
        return audience_for(snapshot.poll, viewer.audience_id, voted, now or clock.now())

    def _render_full(self, client: Client) -> str:
        """Full state for one socket, from the last snapshot (synchronous on purpose). What
        every viewer of an audience shares is rendered once per snapshot; only the vote
        form of a signed-in viewer (and the owner's controls) is rendered per socket."""
        viewer: Viewer = client.viewer
        snapshot = self._snapshots.get(viewer.poll_id)
        if snapshot is None:
            return fragments.gone()
        audience = self._audience(snapshot, viewer)
        client.variant = audience.variant
        shared_key = ("shared", viewer.surface, audience.variant)
        if shared_key not in snapshot.rendered:
            self.renders["full"] += 1
            snapshot.rendered[shared_key] = fragments.shared_state(
                snapshot.tally, audience, viewer.surface
            )
        return (
            snapshot.rendered[shared_key]
            + self._personal_state(snapshot, client)
            + fragments.presence(self._watching(viewer.poll_id))
        )

    def _personal_state(self, snapshot: Snapshot, client: Client) -> str:
        viewer: Viewer = client.viewer
        if viewer.user is None:  # every signed-out viewer sees the same "sign in to vote"
            key = ("signed out", viewer.surface)
            if key not in snapshot.rendered:
                snapshot.rendered[key] = fragments.personal_state(
                    snapshot.tally, None, viewer.surface
                )
            return snapshot.rendered[key]
        self.renders["personal"] += 1
        context = fragments.ViewerContext(
            me=viewer.user,
            csrf_token=viewer.csrf_token,
            my_choice=snapshot.tally.choice_of(viewer.user_id),
            share_url=viewer.share_url,
            # The page just rendered the panel (maybe with a status line): only changes
            # after connecting replace it.
            is_owner=self._is_owner_page(snapshot, viewer) and client.sent_messages > 0,
        )
        return fragments.personal_state(snapshot.tally, context, viewer.surface)
