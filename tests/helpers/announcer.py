"""A stand-in for the broker as the domain's announcer: it records what was announced."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from crowdsource.domain.closing import CloseScheduler
from crowdsource.domain.polls import PollCommands

OnAnnounce = Callable[[int], Awaitable[None]]


class RecordingAnnouncer(list[int]):
    """The ids of the polls announced, in order. `then(poll_id)`, when given, runs at the
    moment of each announcement (to look at the database then, or to pass it on)."""

    def __init__(self, then: OnAnnounce | None = None) -> None:
        super().__init__()
        self.then = then

    async def poll_changed(self, poll_id: int) -> None:
        self.append(poll_id)
        if self.then is not None:
            await self.then(poll_id)


def recorded_commands(
    then: OnAnnounce | None = None,
) -> tuple[PollCommands, RecordingAnnouncer, CloseScheduler]:
    """Commands wired as app.py wires them, with a recording announcer (scheduler not started:
    start it to see timers armed)."""
    announcer = RecordingAnnouncer(then)
    closing = CloseScheduler(announcer)
    return PollCommands(announcer, closing), announcer, closing
