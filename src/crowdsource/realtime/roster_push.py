"""#roster for the owner's screens (host console, own poll page): who has answered the
question, told to the owner's sockets in the tick that publishes a vote: what changed
since each socket was last told (`roster_delta`), or the whole panel when it must be.

Without a roster, "who should answer" is everyone this process has seen on the question's
sockets since it started showing it (signed in, not the owner) plus everyone who
answered: a student who joined on another process and has not answered yet is missing
from it until they answer. Keep it simple: a roster is the way to know who is missing.

A publish pushes #roster with every vote, so it reads nothing the tally it just read
holds (who answered, their names and pictures) nor the people on its sockets, nor a
room's roster again until it may have changed (`KeptRoster`: the room's news, someone new
to it, a read a few seconds old); and each member's row is rendered once per (member as
shown, language): a vote changes one row, and the owner is sent that row, the count and
the missing logins, not 1,000 rows."""

from __future__ import annotations

from collections.abc import Hashable, Iterable

from markupsafe import Markup

from crowdsource.domain.kept_roster import KeptRoster
from crowdsource.domain.models import Poll
from crowdsource.domain.participation import (
    Member,
    MemberBook,
    Person,
    RosterStatus,
    person,
    roster_status,
    roster_status_of,
)
from crowdsource.domain.tally import Tally
from crowdsource.i18n.current import current_language, speaking
from crowdsource.realtime.fragments import Fragments
from crowdsource.realtime.frames import Frame
from crowdsource.realtime.roster_delta import roster_moves
from crowdsource.realtime.viewers import Subscriber

SEEN_POLLS_KEPT = 512  # questions whose viewers are remembered; the oldest go first
ROWS_KEPT = 20_000  # rendered member rows kept (all forgotten at once past that)


class RosterPush:
    def __init__(self, fragments: Fragments) -> None:
        self.fragments = fragments
        # Per question: the sockets' membership at the last walk, who was seen so far, and
        # the roster as last built since that walk (a walk may find someone new: built whole).
        self._seen: dict[int, tuple[Hashable, dict[int, Person], KeptRoster]] = {}
        self._members = MemberBook()  # each member as shown, made once
        self._rows: dict[tuple[str, Member], str] = {}

    def saw(
        self, poll_id: int, subscribers: Iterable[Subscriber], membership: Hashable = None
    ) -> dict[int, Person]:
        """Remember the signed-in people on these sockets of the question; all seen so far.
        `membership` (`Snapshots.membership`): unchanged since the last walk, the sockets
        hold nobody new, and a vote's publish does not walk 1,000 of them again."""
        entry = self._seen.get(poll_id)
        walked, seen, kept = entry if entry is not None else (None, {}, KeptRoster())
        if membership is not None and membership == walked:
            return seen
        for subscriber in subscribers:
            user = subscriber.viewer.user
            if user is not None and user.id not in seen:
                seen[user.id] = person(user)
        if not kept.holds_for(seen):  # someone new may be on it: built whole
            kept.forget()
        self._seen[poll_id] = (membership, seen, kept)
        if len(self._seen) > SEEN_POLLS_KEPT:
            self._seen.pop(next(iter(self._seen)))
        return seen

    def room_news(self, room_id: int) -> None:
        """News of a room (here or in another process): its roster may have been edited, so
        its questions' rosters are built whole at their next vote."""
        for _, _, kept in self._seen.values():
            if kept.room_id == room_id:
                kept.forget()

    def forget_all(self) -> None:
        """News may have been missed (the broker reconnected): every roster is built whole."""
        for _, _, kept in self._seen.values():
            kept.forget()

    async def status(self, poll: Poll, subscribers: Iterable[Subscriber] = ()) -> RosterStatus:
        """Read from the database (the pages' first render)."""
        return await roster_status(poll, self.saw(poll.id, subscribers).keys())

    async def status_of(
        self,
        poll: Poll,
        tally: Tally,
        subscribers: Iterable[Subscriber],
        membership: Hashable = None,
    ) -> RosterStatus:
        """From the tally a publish just read, and the people on its sockets."""
        seen = self.saw(poll.id, subscribers, membership)
        kept = self._seen[poll.id][2]  # followed vote by vote until the next walk
        return await roster_status_of(poll, tally, seen, self._members, kept)

    def tell(self, owners: Iterable[Subscriber], status: RosterStatus) -> None:
        """Tell each owner's socket what changed in #roster since it was last told (the
        whole panel if never since its last full state): rendered once per (what it was
        shown, language). Told, not offered: a pending full state does not contain it."""
        made: dict[tuple[int, str], Frame | None] = {}
        for owner in owners:
            client = owner.client
            shown = owner.roster_shown if owner.roster_resyncs == client.resyncs else None
            language = owner.viewer.language
            key = (id(shown), language)
            if key not in made:
                with speaking(language):
                    text = self.render_delta(shown, status)
                made[key] = Frame(text) if text else None
            frame = made[key]
            resyncs = client.resyncs  # an overflow while telling it asks for the panel again
            if frame is not None:
                client.tell(frame)
            owner.roster_shown, owner.roster_resyncs = status, resyncs

    def render_delta(self, shown: RosterStatus | None, status: RosterStatus) -> str:
        """What changed since `shown` as out-of-band swaps ("" when nothing did); the whole
        panel when nothing was shown or only it will do."""
        changed = None if shown is None else roster_moves(shown, status)
        if changed is None:
            return self.render(status)
        if not changed:  # a count changes only with some row
            return ""
        rows = [(move, self._row(move.member)) for move in changed.moves]
        return self.fragments.render(
            "partials/roster_delta.html", rs=status, moves=rows, gone=changed.gone
        )

    def render(self, status: RosterStatus) -> str:
        """The whole panel, out of band."""
        # Safe: each row is partials/roster_member.html's render, escaped by the template.
        member_rows = Markup("".join(self._row(member) for member in status.members))  # noqa: S704
        return self.fragments.render(
            "partials/roster.html", roster_status=status, member_rows=member_rows, oob=True
        )

    def _row(self, member: Member) -> Markup:
        language = current_language()
        row = self._rows.get((language, member))
        if row is None:
            if len(self._rows) >= ROWS_KEPT:
                self._rows.clear()
            row = self._rows[(language, member)] = self.fragments.render(
                "partials/roster_member.html", m=member
            )
        return Markup(row)  # noqa: S704  (partials/roster_member.html's render, escaped there)
