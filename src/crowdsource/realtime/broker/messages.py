"""What travels on the broker's channel, as text: “poll X changed” is the bare poll id (what
every version so far sent), “user X's sessions ended” is `sessions-ended:X`, “room X changed”
is `room-changed:X`."""

from __future__ import annotations

from dataclasses import dataclass

from crowdsource.realtime.broker.protocol import Listener, ResyncListener, SessionsListener

SESSIONS_ENDED = "sessions-ended:"
ROOM_CHANGED = "room-changed:"


@dataclass(frozen=True)
class PollChanged:
    poll_id: int


@dataclass(frozen=True)
class SessionsEnded:
    user_id: int


@dataclass(frozen=True)
class RoomChanged:
    room_id: int


Message = PollChanged | SessionsEnded | RoomChanged
_PREFIXED: dict[str, type[SessionsEnded] | type[RoomChanged]] = {
    SESSIONS_ENDED: SessionsEnded,
    ROOM_CHANGED: RoomChanged,
}


def encode(message: Message) -> str:
    if isinstance(message, SessionsEnded):
        return f"{SESSIONS_ENDED}{message.user_id}"
    if isinstance(message, RoomChanged):
        return f"{ROOM_CHANGED}{message.room_id}"
    return str(message.poll_id)


def decode(data: object) -> Message | None:
    """The message in a pub/sub payload (bytes or text); None for anything malformed."""
    text = data.decode(errors="replace") if isinstance(data, bytes) else str(data)
    kind: type[Message] = PollChanged
    number = text
    for prefix, prefixed in _PREFIXED.items():
        if text.startswith(prefix):
            kind, number = prefixed, text.removeprefix(prefix)
    if not number.isascii() or not number.isdigit():
        return None
    return kind(int(number))


@dataclass(frozen=True)
class Listeners:
    """Where a process hands what it hears (an absent optional listener: ignored)."""

    on_change: Listener
    on_resync: ResyncListener
    on_sessions_ended: SessionsListener | None = None
    on_room_changed: Listener | None = None

    async def deliver(self, message: Message) -> None:
        """Hand a message to the listener of its kind."""
        if isinstance(message, SessionsEnded):
            if self.on_sessions_ended is not None:
                await self.on_sessions_ended(message.user_id)
        elif isinstance(message, RoomChanged):
            if self.on_room_changed is not None:
                await self.on_room_changed(message.room_id)
        else:
            await self.on_change(message.poll_id)
