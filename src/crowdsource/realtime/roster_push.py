"""#roster for the owner's screens (host console, own poll page): who has answered the
question, pushed whole to the owner's sockets in the tick that publishes a vote.

Without a roster, "who should answer" is everyone this process has seen on the question's
sockets since it started showing it (signed in, not the owner) plus everyone who
answered: a student who joined on another process and has not answered yet is missing
from it until they answer. Keep it simple: a roster is the way to know who is missing.

A publish pushes #roster with every vote, so it reads nothing the tally it just read
holds (who answered, their names and pictures) nor the people on its sockets, and each
member's row is rendered once per (member as shown, language): a vote changes one row."""

from __future__ import annotations

from collections.abc import Iterable

from markupsafe import Markup

from crowdsource.domain.models import Poll
from crowdsource.domain.participation import (
    Member,
    Person,
    RosterStatus,
    person,
    roster_status,
    roster_status_of,
)
from crowdsource.domain.tally import Tally
from crowdsource.i18n.current import current_language
from crowdsource.realtime.fragments import Fragments
from crowdsource.realtime.viewers import Subscriber

SEEN_POLLS_KEPT = 512  # questions whose viewers are remembered; the oldest go first
ROWS_KEPT = 20_000  # rendered member rows kept (all forgotten at once past that)


class RosterPush:
    def __init__(self, fragments: Fragments) -> None:
        self.fragments = fragments
        self._seen: dict[int, dict[int, Person]] = {}
        self._rows: dict[tuple[str, Member], str] = {}

    def saw(self, poll_id: int, subscribers: Iterable[Subscriber]) -> dict[int, Person]:
        """Remember the signed-in people on these sockets of the question; all seen so far."""
        seen = self._seen.setdefault(poll_id, {})
        for subscriber in subscribers:
            user = subscriber.viewer.user
            if user is not None and user.id not in seen:
                seen[user.id] = person(user)
        if len(self._seen) > SEEN_POLLS_KEPT:
            self._seen.pop(next(iter(self._seen)))
        return seen

    async def status(self, poll: Poll, subscribers: Iterable[Subscriber] = ()) -> RosterStatus:
        """Read from the database (the pages' first render)."""
        return await roster_status(poll, self.saw(poll.id, subscribers).keys())

    async def status_of(
        self, poll: Poll, tally: Tally, subscribers: Iterable[Subscriber]
    ) -> RosterStatus:
        """From the tally a publish just read, and the people on its sockets."""
        return await roster_status_of(poll, tally, self.saw(poll.id, subscribers))

    def render(self, status: RosterStatus) -> str:
        language = current_language()
        rows = []
        for member in status.members:
            row = self._rows.get((language, member))
            if row is None:
                if len(self._rows) >= ROWS_KEPT:
                    self._rows.clear()
                row = self._rows[(language, member)] = self.fragments.render(
                    "partials/roster_member.html", m=member
                )
            rows.append(row)
        # Safe: each row is partials/roster_member.html's render, escaped by the template.
        member_rows = Markup("".join(rows))  # noqa: S704
        return self.fragments.render(
            "partials/roster.html", roster_status=status, member_rows=member_rows, oob=True
        )
