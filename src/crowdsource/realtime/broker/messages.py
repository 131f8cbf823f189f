"""What travels on the broker's channel, as text: “poll X changed” is the bare poll id (what
every version so far sent), “user X's sessions ended” is `sessions-ended:X`."""

from __future__ import annotations

from dataclasses import dataclass

from crowdsource.realtime.broker.protocol import Listener, ResyncListener, SessionsListener

SESSIONS_ENDED = "sessions-ended:"


@dataclass(frozen=True)
class PollChanged:
    poll_id: int


@dataclass(frozen=True)
class SessionsEnded:
    user_id: int


Message = PollChanged | SessionsEnded


def encode(message: Message) -> str:
    if isinstance(message, SessionsEnded):
        return f"{SESSIONS_ENDED}{message.user_id}"
    return str(message.poll_id)


def decode(data: object) -> Message | None:
    """The message in a pub/sub payload (bytes or text); None for anything malformed."""
    text = data.decode(errors="replace") if isinstance(data, bytes) else str(data)
    kind, number = (
        (SessionsEnded, text.removeprefix(SESSIONS_ENDED))
        if text.startswith(SESSIONS_ENDED)
        else (PollChanged, text)
    )
    if not number.isascii() or not number.isdigit():
        return None
    return kind(int(number))


@dataclass(frozen=True)
class Listeners:
    """Where a process hands what it hears (`on_sessions_ended` may be absent: ignored)."""

    on_change: Listener
    on_resync: ResyncListener
    on_sessions_ended: SessionsListener | None = None

    async def deliver(self, message: Message) -> None:
        """Hand a message to the listener of its kind."""
        if isinstance(message, SessionsEnded):
            if self.on_sessions_ended is not None:
                await self.on_sessions_ended(message.user_id)
        else:
            await self.on_change(message.poll_id)
