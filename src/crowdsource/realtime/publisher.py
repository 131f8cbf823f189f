"""From "poll X changed" to bytes on sockets: coalesce per poll, re-read the database, render
once per audience variant, hand the same message to every local socket of that variant.

Natural batching, as the group commit of votes: news heard while the loop is idle is
published at once (no tick to wait for); news heard while a round is still reading,
rendering and writing waits for that round to end, and is published together in the next.
So a quiet poll's vote reaches its viewers within a few milliseconds, and a burst costs as
many rounds as the loop has time for, each covering everything that arrived meanwhile.

Per-viewer renders (`full_state`) happen only where a message really differs per viewer: the
full state on connect or resync, when one viewer's audience changes (they voted on an
`after_vote` poll), when a poll reopens (each viewer gets their own vote form back) and when
a quiz's answer is revealed (each viewer learns whether they were right).
"N watching" is `presence`'s job; the publisher flushes it after each round."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import Counter
from collections.abc import Collection
from datetime import datetime

from crowdsource.domain.models import Poll, User
from crowdsource.i18n.current import speaking
from crowdsource.i18n.languages import SOURCE
from crowdsource.realtime.broker.protocol import WatchingElsewhere, nobody_elsewhere
from crowdsource.realtime.close_codes import WS_1012_SERVICE_RESTART
from crowdsource.realtime.fragments import PAGE, Fragments
from crowdsource.realtime.full_state import FullStates
from crowdsource.realtime.hub import Client, FrameSink, Hub, Socket
from crowdsource.realtime.observer import UNOBSERVED, PublishObserver
from crowdsource.realtime.poll_publishing import PollPublishing
from crowdsource.realtime.presence import PRESENCE_REFRESH_SECONDS, Presence
from crowdsource.realtime.quiet_collections import collect_when_quiet
from crowdsource.realtime.room_publishing import RoomPublishing
from crowdsource.realtime.roster_push import RosterPush
from crowdsource.realtime.sessions import RecentSignOuts, recheck_sessions, sign_out_user
from crowdsource.realtime.snapshot import Snapshot
from crowdsource.realtime.snapshots import Snapshots
from crowdsource.realtime.stages import RoomStages
from crowdsource.realtime.viewers import Subscriber, Viewer, room_group

log = logging.getLogger("crowdsource.realtime")

RETRY_SECONDS = 1.0  # after a failed publish (database away), try that poll again


class Publisher:
    """`watching_elsewhere` is the broker's: "N watching" counts every process's sockets.
    `renders` counts renders by kind (delta, reveal, closed, full, personal, presence);
    `observer` hears of every publish and overflow (the metrics)."""

    def __init__(
        self,
        hub: Hub[Subscriber],
        fragments: Fragments,
        *,
        watching_elsewhere: WatchingElsewhere = nobody_elsewhere,
        presence_refresh: float = PRESENCE_REFRESH_SECONDS,
        observer: PublishObserver = UNOBSERVED,
    ) -> None:
        self.hub = hub
        self.observer = observer
        self.fragments = fragments
        self.renders: Counter[str] = Counter()
        self.presence = Presence(
            hub,
            fragments,
            self.renders,
            self._wake,
            watching_elsewhere=watching_elsewhere,
            refresh=presence_refresh,
        )
        self.full_states = FullStates(fragments, self.renders, self.presence.watching)
        self.stages = RoomStages(fragments, self.renders, self.presence.watching)
        self.snapshots = Snapshots(hub, self.stages)  # poll -> its state last pushed here
        self.rooms = RoomPublishing(
            hub, self.stages, self.snapshots, self.presence, observer, self._republish_room
        )
        self.recent_sign_outs = RecentSignOuts()
        self.roster = RosterPush(fragments)  # who has answered, for the owner's screens
        self.polls = PollPublishing(fragments, self.renders, self.snapshots, self.roster, hub)
        self._dirty: dict[int, float] = {}  # polls to re-read in the next round: when first heard
        self._dirty_rooms: set[int] = set()  # rooms whose current question may have moved
        self._wakeup = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self.collect_when_quiet = False  # app.tune_garbage_collector: the serving process
        self._collector: asyncio.Task[None] | None = None
        self.busy_rounds = 0  # rounds that published something

    # -- lifecycle ---------------------------------------------------------------------

    def start(self) -> None:
        self._wakeup = asyncio.Event()  # bound to the loop that runs the app this time
        self._task = asyncio.create_task(self._run(), name="crowdsource-publisher")
        self.presence.start()
        if self.collect_when_quiet:
            self._collector = asyncio.create_task(
                collect_when_quiet(self._activity), name="crowdsource-quiet-collections"
            )

    async def stop(self, close_code: int = WS_1012_SERVICE_RESTART) -> None:
        """Stop publishing and close every socket (1012: browsers reconnect)."""
        for task in (self._task, self._collector):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        await self.presence.stop()
        self.hub.close_all(close_code, "server restarting")
        await asyncio.sleep(0)

    # -- what the broker and the socket route call ---------------------------------------

    async def on_change(self, poll_id: int) -> None:
        """A poll's stored state changed (in this or another process)."""
        self.snapshots.rows_changed([poll_id])
        await self.on_votes_changed(poll_id)

    async def on_votes_changed(self, poll_id: int, voters: Collection[int] | None = None) -> None:
        """Only a poll's ballots changed, those of `voters` (None: the news does not say
        whose): its row and responses, as read here, still hold."""
        self.snapshots.ballots_changed(poll_id, voters)
        if self.snapshots.watched(poll_id):
            self._dirty.setdefault(poll_id, time.monotonic())
            self._wake()

    async def on_room_change(self, room_id: int) -> None:
        """A room's current question or list of questions changed (here or elsewhere): its
        questions' rows may have too (edited, launched), and its roster."""
        self.snapshots.rows_changed(self.snapshots.of_room(room_id))
        self.roster.room_news(room_id)
        if self.hub.count(room_group(room_id)):
            self._republish_room(room_id)

    def _republish_room(self, room_id: int) -> None:
        self._dirty_rooms.add(room_id)
        self._wake()

    async def resync_all(self) -> None:
        """Changes may have been missed (broker reconnect): re-check every local session,
        then re-read every local poll."""
        try:
            await recheck_sessions(self.hub)
        except Exception:  # the database is away: the publishes below fail and retry too
            log.exception("re-checking the sessions of local sockets failed")
        now = time.monotonic()
        self.snapshots.rows_changed(self.snapshots.kept())
        self.roster.forget_all()
        for poll_id in {*self.hub.groups(), *self.stages.shown_polls()}:
            if isinstance(poll_id, int):
                self._dirty.setdefault(poll_id, now)
        self._dirty_rooms.update(self.stages.rooms())
        self._wake()

    async def sessions_ended(self, user_id: int) -> None:
        """Every token of a user stopped working (in this or another process): their local
        sockets get what a signed-out visitor gets from now on."""
        self.recent_sign_outs.heard(user_id)
        sign_out_user(self.hub, user_id)

    async def connect(
        self,
        socket: Socket,
        poll: Poll,
        user: User | None,
        csrf: str,
        surface: str = PAGE,
        share_url: str = "",
        expires_at: datetime | None = None,
        frames: FrameSink | None = None,
        language: str = SOURCE,
    ) -> Subscriber:
        """Join a socket to its poll's group; the full current state is its first message.
        `expires_at`: when the user's token expires (the socket is signed out then);
        `frames`: the socket's connection, when it takes pre-framed messages;
        `language`: what its messages are rendered in."""
        snapshot = await self.snapshots.read(poll)
        assert snapshot is not None
        expires = expires_at if user else None
        viewer = Viewer(poll.id, user, csrf, surface, share_url, expires, language=language)

        def full_state() -> str:
            return self.full_states.render(subscriber, self.snapshots.get(poll.id))

        client = Client(socket, full_state, self.observer.outbox_overflowed, frames)
        subscriber = Subscriber(viewer, client)
        subscriber.resync(viewer.audience(snapshot).variant)
        self.hub.join(poll.id, subscriber)
        self.presence.changed(poll.id)
        return subscriber

    async def disconnect(self, subscriber: Subscriber) -> None:
        group = subscriber.viewer.group
        await self.hub.leave(group, subscriber)
        self.polls.forget_sortings()
        if self.hub.count(group):
            self.presence.changed(group)
            return
        self.presence.forget(group)
        if subscriber.viewer.room is not None:
            self.stages.forget(subscriber.viewer.room.room_id)
        self.snapshots.drop_unwatched(subscriber.viewer.poll_id)

    def tell_status(
        self, subscriber: Subscriber, message: str, kind: str = "error", open_answer: bool = False
    ) -> None:
        """A status line for this viewer alone (how their vote went, why a frame failed),
        in their language."""
        with speaking(subscriber.viewer.language):
            status = self.fragments.status(message, kind, open_answer=open_answer)
        subscriber.client.tell(status)

    def snapshot_of(self, poll_id: int) -> Snapshot | None:
        """The state of the poll last pushed here; none while nobody here watches it."""
        return self.snapshots.get(poll_id)

    def _activity(self) -> tuple[int, int]:
        """Changes while this process is busy: sockets joining, rounds publishing."""
        return (self.hub.joins, self.busy_rounds)

    # -- the loop ------------------------------------------------------------------------

    def _wake(self) -> None:
        self._wakeup.set()

    async def _run(self) -> None:
        while True:
            await self._wakeup.wait()
            self._wakeup.clear()
            rooms, self._dirty_rooms = self._dirty_rooms, set()
            if rooms or self._dirty:
                self.busy_rounds += 1
            for room_id in rooms:
                try:
                    await self.rooms.publish(room_id)
                except Exception:
                    log.exception("publishing room %s failed; retrying", room_id)
                    self.observer.publish_failed()
                    self._dirty_rooms.add(room_id)
                    asyncio.get_running_loop().call_later(RETRY_SECONDS, self._wake)
            dirty, self._dirty = self._dirty, {}
            if dirty:
                await self._publish_polls(dirty)
            self.presence.flush()
            # No sleep: what arrived during this round has set the event, and is published
            # together in the next; when nothing did, the loop waits for the next news.

    async def _publish_polls(self, dirty: dict[int, float]) -> None:
        """Read the round's polls together, then push each; what fails is tried again."""
        try:
            reading = await self.polls.read(dirty)
        except Exception:  # the database is away: every poll of the round waits
            log.exception("reading %d polls failed; retrying", len(dirty))
            self.observer.publish_failed()
            self._retry(dirty)
            return
        for poll_id, snapshot in reading.snapshots.items():
            heard, started = dirty[poll_id], time.monotonic()
            try:
                await self.polls.push(poll_id, snapshot, reading.now)
            except Exception:  # one poll's failure must not stop the others' updates
                log.exception("publishing poll %s failed; retrying", poll_id)
                self.observer.publish_failed()
                self._retry({poll_id: heard})
            else:
                self.observer.published(started - heard, time.monotonic() - started)

    def _retry(self, polls: dict[int, float]) -> None:
        self._dirty.update(polls)  # the lag counts from the first hearing
        asyncio.get_running_loop().call_later(RETRY_SECONDS, self._wake)
