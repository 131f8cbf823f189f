"""A room's sockets: joining one, and switching them all when the room's current question
changes (one message replacing `#stage`, per socket, as it may see the new question)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from crowdsource.domain.models import Room, User
from crowdsource.domain.room_queries import get_room
from crowdsource.i18n.languages import SOURCE
from crowdsource.realtime.close_codes import WS_1000_NORMAL_CLOSURE
from crowdsource.realtime.fragments import PAGE
from crowdsource.realtime.hub import Client, FrameSink, Hub, Socket
from crowdsource.realtime.observer import PublishObserver
from crowdsource.realtime.presence import Presence
from crowdsource.realtime.shared_reads import SharedReads
from crowdsource.realtime.snapshots import Snapshots
from crowdsource.realtime.stages import RoomStages, RoomView, read_room
from crowdsource.realtime.viewers import NO_POLL, RoomSeat, Subscriber, Viewer, room_group


class RoomPublishing:
    """`republish(room_id)` asks the publishing loop to re-read a room in its next round."""

    def __init__(
        self,
        hub: Hub[Subscriber],
        stages: RoomStages,
        snapshots: Snapshots,
        presence: Presence,
        observer: PublishObserver,
        republish: Callable[[int], None],
    ) -> None:
        self.hub = hub
        self.stages = stages
        self.snapshots = snapshots
        self.presence = presence
        self.observer = observer
        self.republish = republish
        self._reads: SharedReads[int, RoomView | None] = SharedReads()  # a room's joins together
        self._codes: SharedReads[str, Room] = SharedReads()  # the rooms they ask for, by code

    async def room_to_join(self, code: str) -> Room:
        """The room a socket asks for by its code (RoomNotFound): as kept here, a room with
        sockets here needs no query; else read once for every socket that asks together."""
        room = self.stages.room_by_code(code)
        if room is None:
            room = await self._codes.read(code, lambda: get_room(code))
        return room

    async def connect(
        self,
        socket: Socket,
        room: Room,
        user: User | None,
        csrf: str,
        surface: str = PAGE,
        *,
        host: bool = False,
        expires_at: datetime | None = None,
        frames: FrameSink | None = None,
        language: str = SOURCE,
    ) -> Subscriber:
        """Join a socket to its room's group: it follows the room's current question, and
        its first message is the room's full state (`#stage`)."""
        view = self.stages.view(room.id)
        if view is None:
            read = await self._reads.read(room.id, lambda: read_room(room.id))
            view = self.stages.view(room.id)  # a publish may have kept a later one meanwhile
            if view is None and read is not None:
                self.stages.keep(read)
                view = read
        if view is not None and view.current_id != room.current_id:  # type: ignore[attr-defined]
            self.republish(room.id)  # it moved on meanwhile: the next round switches all
        current = view.current_id if view and view.current_id else NO_POLL
        if current != NO_POLL and await self.snapshots.read(current) is None:
            current = NO_POLL
        seat = RoomSeat(room.id, room.code, host)
        expires = expires_at if user else None
        viewer = Viewer(current, user, csrf, surface, "", expires, seat, language)

        def full_state() -> str:
            return self.stages.full_state(subscriber, self.snapshots.get(subscriber.viewer.poll_id))

        client = Client(socket, full_state, self.observer.outbox_overflowed, frames)
        subscriber = Subscriber(viewer, client)
        client.request_resync()
        self.hub.join(viewer.group, subscriber)
        self.presence.changed(viewer.group)
        return subscriber

    async def publish(self, room_id: int) -> None:
        """Re-read the room; when its current question moved, every socket of the room gets
        its full state, else only the hosts (their list of questions changed)."""
        group = room_group(room_id)
        if not self.hub.count(group):
            return
        view = await read_room(room_id)
        if view is None:
            self.stages.forget(room_id)
            self.hub.close_group(group, WS_1000_NORMAL_CLOSURE, "room deleted")
            return
        current = view.current_id or NO_POLL
        if current != NO_POLL and await self.snapshots.read(current) is None:
            current = NO_POLL  # deleted meanwhile: the room's own news follows
        before = self.stages.keep(view)
        moved = before is None or (before.current_id or NO_POLL) != current
        for subscriber in self.hub.members(group):
            seat = subscriber.viewer.room
            if subscriber.viewer.poll_id != current:
                subscriber.viewer = subscriber.viewer.showing(current)
                # "Your vote … is in" was about the question before: it goes with it, in
                # the same message as the new stage.
                subscriber.moved_on = True
                subscriber.resync("")
            elif moved or (seat is not None and seat.host):
                subscriber.resync(subscriber.variant)
        if before is not None and before.current_id:
            self.snapshots.drop_unwatched(before.current_id)
