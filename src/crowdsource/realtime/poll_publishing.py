"""Publishing one poll's change to its local sockets: re-read it, decide per socket whether
its audience variant still holds, and render each shared update once per (surface, audience
variant, language) present; a socket whose variant changed gets its full state instead."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from crowdsource.domain import clock
from crowdsource.domain.models import Choice, Poll
from crowdsource.domain.tally_patch import (
    VOTERS_PER_PATCH_READ,
    ballots_of,
    may_patch,
    patchable,
    patched,
    watermarks,
)
from crowdsource.domain.tally_reads import polls_of, responses_of, tallies_of
from crowdsource.domain.visibility import AUDIENCES
from crowdsource.realtime.audience_groups import AudienceGroups, Stamp, share_key
from crowdsource.realtime.changes import SharedUpdates, verdict_changed, voting_changed
from crowdsource.realtime.close_codes import WS_1000_NORMAL_CLOSURE
from crowdsource.realtime.fragments import Fragments
from crowdsource.realtime.hub import Hub
from crowdsource.realtime.languages import PerLanguage
from crowdsource.realtime.roster_push import RosterPush
from crowdsource.realtime.snapshot import Snapshot
from crowdsource.realtime.snapshots import Snapshots
from crowdsource.realtime.viewers import Subscriber


@dataclass(frozen=True)
class Change:
    """How a publish's state of a poll differs from the last, as each socket is asked:
    `asked_again`, the users whose having voted changed (None: the rules changed, everyone
    is asked); `reopened` (everyone gets their own full state); `controls` (the owner's)."""

    asked_again: set[int] | None
    reopened: bool
    controls: bool
    now: datetime


def _ask_again(
    subscriber: Subscriber, change: Change, after: Snapshot, owners: list[Subscriber]
) -> str | None:
    """What a socket may see now: its variant, or None when it is sent its full state
    instead (an owner's, with #roster after it: `owners`)."""
    viewer = subscriber.viewer
    variant = viewer.audience(after, change.now).variant
    if (
        change.reopened
        or variant != subscriber.variant
        or (change.controls and viewer.owns_page(after))
    ):
        subscriber.resync(variant)
        if AUDIENCES[variant].owner:  # #roster is not in the full state
            owners.append(subscriber)
        return None
    return variant


@dataclass(frozen=True)
class Reading:
    """Polls read together at `now`: a snapshot per poll id, None for one deleted."""

    snapshots: dict[int, Snapshot | None]
    now: datetime


class PollPublishing:
    def __init__(
        self,
        fragments: Fragments,
        renders: Counter[str],
        snapshots: Snapshots,
        roster: RosterPush,
        hub: Hub[Subscriber],
    ) -> None:
        self.fragments = fragments
        self.renders = renders
        self.snapshots = snapshots
        self.roster = roster
        self.hub = hub
        self._sorted: dict[int, AudienceGroups] = {}  # per poll, its sockets by shared update

    async def read(self, poll_ids: Iterable[int]) -> Reading:
        """The polls among these still watched here, read together: the same statements for
        a round of a hundred rooms as for one poll (a poll deleted reads as None). A poll
        whose news since its snapshot were only ballots (`Snapshots.kept_rows`) keeps its row
        and responses: only its ballots are read, and only the named voters' where its last
        tally can be brought up to date with them (`_patched`)."""
        watched = []
        for poll_id in poll_ids:
            if self.snapshots.watched(poll_id):
                watched.append(poll_id)
            else:
                self.snapshots.drop(poll_id)
        now = clock.now()
        if not watched:
            return Reading({}, now)
        polls: dict[int, Poll] = {}
        responses: dict[int, Sequence[Choice]] = {}
        named: dict[int, frozenset[int]] = {}  # polls whose news named only voters
        for poll_id in watched:
            kept = self.snapshots.kept_rows(poll_id)
            voters = self.snapshots.voters_changed(poll_id)
            if voters is not None:
                named[poll_id] = voters
            if kept is not None:
                polls[poll_id], responses[poll_id] = kept
        read = await self._patched(named, polls, responses, now)
        unknown = [poll_id for poll_id in watched if poll_id not in polls]
        if unknown:
            polls.update((poll.id, poll) for poll in await polls_of(unknown))
            responses.update(await responses_of(poll_id for poll_id in unknown if poll_id in polls))
        whole = [poll for poll_id, poll in polls.items() if poll_id not in read]
        tallies = await tallies_of(whole, now, responses=responses)
        # Read after the tallies: a watermark never earlier than what they counted. Only
        # where votes' news names voters (not through a broker between processes).
        marks = await watermarks([p.id for p in whole if p.id in named and patchable(p)])
        for poll in whole:
            read[poll.id] = Snapshot(
                poll, tallies[poll.id], tuple(responses[poll.id]), marks.get(poll.id)
            )
        return Reading({poll_id: read.get(poll_id) for poll_id in watched}, now)

    async def _patched(
        self,
        named: dict[int, frozenset[int]],
        polls: dict[int, Poll],
        responses: dict[int, Sequence[Choice]],
        now: datetime,
    ) -> dict[int, Snapshot]:
        """The polls whose last tally the named voters' ballots bring up to date
        (domain/tally_patch.py), read in one query; the others are left to a whole read."""
        last: dict[int, Snapshot] = {}
        room = VOTERS_PER_PATCH_READ
        for poll_id in sorted(named.keys() & polls.keys()):
            snapshot = self.snapshots.get(poll_id)
            voters = len(named[poll_id])
            if (
                snapshot is not None
                and may_patch(polls[poll_id], snapshot.watermark, snapshot.patches, voters)
                and voters <= room
            ):
                last[poll_id] = snapshot
                room -= voters
        if not last:
            return {}
        rows = await ballots_of({poll_id: named[poll_id] for poll_id in last})
        read: dict[int, Snapshot] = {}
        for poll_id, snapshot in last.items():
            poll, choices = polls[poll_id], responses[poll_id]
            found = patched(poll, choices, snapshot.tally, rows[poll_id], snapshot.watermark, now)
            if found is not None:
                tally, mark = found
                read[poll_id] = Snapshot(poll, tally, tuple(choices), mark, snapshot.patches + 1)
        return read

    async def publish(self, poll_id: int) -> None:
        """Re-read one poll and push what changed to each of its local sockets."""
        reading = await self.read([poll_id])
        if poll_id in reading.snapshots:
            await self.push(poll_id, reading.snapshots[poll_id], reading.now)

    async def push(self, poll_id: int, after: Snapshot | None, now: datetime) -> None:
        """Push the poll's state as read at `now` (None: deleted) to its local sockets."""
        if after is None:
            self.publish_gone(poll_id)
            return
        if not self.snapshots.watched(poll_id):  # the last socket left since it was read
            self.snapshots.drop(poll_id)
            return
        before = self.snapshots.get(poll_id) or after
        self.snapshots.keep(after)
        closed_now = before.tally.is_open and not after.tally.is_open
        # A reopen gives each viewer their vote form back; a quiz's reveal tells each their
        # verdict: both are per-viewer, full states.
        reopened = not before.tally.is_open and after.tally.is_open
        reopened |= before.tally.revealed != after.tally.revealed
        reopened |= before.tally.peer.round != after.tally.peer.round  # vote again: forms reset
        controls_changed = closed_now or reopened or before.controls != after.controls
        # Who may see what depends on the poll's rules, whether it is open, and whether the
        # viewer has voted: when only votes changed, only the voters whose having voted
        # changed are asked again; everyone else keeps the variant they were last sent.
        same_rules = not controls_changed and before.tally.is_open == after.tally.is_open
        asked_again = voting_changed(before, after) if same_rules else None
        updates = SharedUpdates(self.fragments, self.renders, before, after, closed_now)
        change = Change(asked_again, reopened, controls_changed, now)
        kept = self._sorted.get(poll_id)
        sortable = asked_again is not None and not after.tally.revealed
        if sortable and kept and kept.hold(self._stamp(poll_id), now):
            owners = self._send_sorted(poll_id, kept, change, updates)
        else:
            owners = self._send_each(poll_id, change, updates)
        if owners:  # the roster read once per publish, when an owner watches
            members = self.snapshots.members(poll_id)
            membership = self.snapshots.membership(poll_id)
            status = await self.roster.status_of(after.poll, after.tally, members, membership)
            self.roster.tell(owners, status)

    def _stamp(self, poll_id: int) -> Stamp:
        """What a sorting of the poll's sockets made now holds while it does not move."""
        return (Subscriber.changes, self.hub.leaves, *self.snapshots.membership(poll_id))

    def _send_sorted(
        self, poll_id: int, kept: AudienceGroups, change: Change, updates: SharedUpdates
    ) -> list[Subscriber]:
        """Only votes changed, and the poll's sockets are as the last publish sorted them:
        the voters whose having voted changed are asked what they may see now (one whose
        view changed is moved to its new group), and each group is sent its update. The
        owners told #roster next are returned."""
        owners: list[Subscriber] = []
        moved: set[Subscriber] = set()  # sent their full state instead
        for subscriber in kept.asked_again(change.asked_again or set()):
            if _ask_again(subscriber, change, updates.after, owners) is None:
                moved.add(subscriber)
        for key, group in kept.largest_first():
            frame, roster_follows = updates.get(key)
            for client in group.clients:  # a client waiting for its full state takes none
                client.offer(frame)
            if roster_follows:
                owners.extend(s for s in group.subscribers if s not in moved)
        if moved:  # the only changes since the sorting was stamped: no await in between
            kept.regroup(moved, self._stamp(poll_id))
        return owners

    def _send_each(self, poll_id: int, change: Change, updates: SharedUpdates) -> list[Subscriber]:
        """Decide socket by socket what each is sent, and keep how they were sorted for the
        next publish, unless a token expired (a signed-out socket's variant is set again by
        its full state). A socket sent its full state instead is sorted by its new variant.
        The owners told #roster next are returned."""
        after, now, asked_again = updates.after, change.now, change.asked_again
        sorting: AudienceGroups | None = AudienceGroups(stamp=())
        owners: list[Subscriber] = []
        revealed = after.tally.revealed  # only then may a changed pick change a verdict
        for subscriber in self.snapshots.members(poll_id):  # per socket: the hub's work, no more
            viewer = subscriber.viewer
            expires = viewer.expires_at
            if expires is not None and now >= expires:
                subscriber.sign_out()  # the full state it gets next is a signed-out visitor's
                sorting = None
                continue
            variant: str | None = subscriber.variant
            if asked_again is None or not variant or viewer.user_id in asked_again:
                variant = _ask_again(subscriber, change, after, owners)
            if (
                variant is not None
                and revealed
                and verdict_changed(updates.before, after, viewer.user_id)
            ):
                subscriber.resync(variant)
                variant = None
            key = share_key(subscriber)
            if variant is not None:
                frame, roster_follows = updates.get(key)
                subscriber.client.offer(frame)
                if roster_follows:
                    owners.append(subscriber)
            if sorting is not None:
                sorting.add(key, subscriber)
        if sorting is not None:  # every change here is in it: no await in between
            sorting.stamp = self._stamp(poll_id)
            self._sorted[poll_id] = sorting
        else:
            self._sorted.pop(poll_id, None)
        return owners

    def forget_sortings(self) -> None:
        """A socket left: no sorting may keep it (its objects are freed as it ends)."""
        self._sorted.clear()

    def publish_gone(self, poll_id: int) -> None:
        """The poll's own pages learn it is gone; a room showing it moves on (its news)."""
        self.snapshots.drop(poll_id)
        message = PerLanguage(self.fragments.gone)
        for subscriber in self.hub.members(poll_id):
            subscriber.client.offer(message.frame(subscriber.viewer.language))
            subscriber.client.close(WS_1000_NORMAL_CLOSURE, "poll deleted")
