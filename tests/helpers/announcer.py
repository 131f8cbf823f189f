"""A stand-in for the broker as the domain's announcer: it records what was announced."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from crowdsource.domain.closing import CloseScheduler
from crowdsource.domain.polls import PollCommands
from crowdsource.domain.rooms import RoomCommands

OnAnnounce = Callable[[int], Awaitable[None]]


class RecordingAnnouncer(list[int]):
    """The ids of the polls announced, in order (whole changes and new ballots alike;
    `ballots`: those announced as new ballots only); `sessions`: the users whose sessions were
    announced ended. `then(poll_id)`, when given, runs at the moment of each announcement of
    a poll (to look at the database then, or to pass it on); `then_sessions(user_id)` at
    each announcement of ended sessions."""

    def __init__(
        self, then: OnAnnounce | None = None, then_sessions: OnAnnounce | None = None
    ) -> None:
        super().__init__()
        self.then = then
        self.then_sessions = then_sessions
        self.sessions: list[int] = []
        self.rooms: list[int] = []  # the rooms announced changed, in order
        self.ballots: list[int] = []
        self.voters: list[frozenset[int] | None] = []  # whose ballots each named

    async def poll_changed(self, poll_id: int) -> None:
        self.append(poll_id)
        if self.then is not None:
            await self.then(poll_id)

    async def votes_changed(self, poll_id: int, voters: frozenset[int] | None = None) -> None:
        self.ballots.append(poll_id)
        self.voters.append(voters)
        await self.poll_changed(poll_id)

    async def room_changed(self, room_id: int) -> None:
        self.rooms.append(room_id)

    async def sessions_ended(self, user_id: int) -> None:
        self.sessions.append(user_id)
        if self.then_sessions is not None:
            await self.then_sessions(user_id)


def recorded_commands(
    then: OnAnnounce | None = None,
) -> tuple[PollCommands, RecordingAnnouncer, CloseScheduler]:
    """Commands wired as app.py wires them, with a recording announcer (scheduler not started:
    start it to see timers armed)."""
    announcer = RecordingAnnouncer(then)
    closing = CloseScheduler(announcer)
    return PollCommands(announcer, closing), announcer, closing


def recorded_room_commands() -> tuple[RoomCommands, RecordingAnnouncer, CloseScheduler]:
    """Room commands wired as app.py wires them (on poll commands), recording what they say."""
    polls, announcer, closing = recorded_commands()
    return RoomCommands(announcer, closing, polls), announcer, closing
