"""#roster for the owner's screens (host console, own poll page): who has answered the
question, pushed whole to the owner's sockets in the tick that publishes a vote.

Without a roster, "who should answer" is everyone this process has seen on the question's
sockets since it started showing it (signed in, not the owner) plus everyone who
answered: a student who joined on another process and has not answered yet is missing
from it until they answer. Keep it simple: a roster is the way to know who is missing."""

from __future__ import annotations

from collections.abc import Iterable

from crowdsource.domain.models import Poll
from crowdsource.domain.participation import RosterStatus, roster_status
from crowdsource.realtime.fragments import Fragments
from crowdsource.realtime.viewers import Subscriber

SEEN_POLLS_KEPT = 512  # questions whose viewers are remembered; the oldest go first


class RosterPush:
    def __init__(self, fragments: Fragments) -> None:
        self.fragments = fragments
        self._seen: dict[int, set[int]] = {}

    def saw(self, poll_id: int, subscribers: Iterable[Subscriber]) -> set[int]:
        """Remember the signed-in people on these sockets of the question; all seen so far."""
        seen = self._seen.setdefault(poll_id, set())
        seen.update(s.viewer.user_id for s in subscribers if s.viewer.user_id is not None)
        if len(self._seen) > SEEN_POLLS_KEPT:
            self._seen.pop(next(iter(self._seen)))
        return seen

    async def status(self, poll: Poll, subscribers: Iterable[Subscriber] = ()) -> RosterStatus:
        return await roster_status(poll, self.saw(poll.id, subscribers))

    async def fragment(self, poll: Poll, subscribers: Iterable[Subscriber]) -> str:
        """#roster, out of band, for the owner's sockets."""
        return self.render(await self.status(poll, subscribers))

    def render(self, status: RosterStatus) -> str:
        return self.fragments.render("partials/roster.html", roster_status=status, oob=True)
