"""How one published state of a poll differs from the last: what every viewer of an audience
is sent, and which viewers need a full state of their own instead."""

from __future__ import annotations

from collections import Counter

from crowdsource.domain.tally import joined_since
from crowdsource.domain.visibility import AUDIENCES, Audience
from crowdsource.i18n.current import speaking
from crowdsource.realtime.fragments import Fragments
from crowdsource.realtime.frames import Frame
from crowdsource.realtime.snapshot import Snapshot

ShareKey = tuple[str, str, str]  # (surface, audience variant, language): one shared update


def shared_update(
    fragments: Fragments,
    renders: Counter[str],
    before: Snapshot,
    after: Snapshot,
    audience: Audience,
    surface: str,
    closed: bool,
) -> str:
    """What changed, for every viewer of one surface and audience variant: rendered once per
    round whatever the viewers (`renders` counts it by kind)."""
    if closed:
        renders["closed"] += 1
        return fragments.closed_state(after.tally, audience, surface)
    if before.rules != after.rules:
        renders["reveal"] += 1
        return fragments.poll_meta(after.tally) + fragments.results(after.tally, audience, surface)
    renders["delta"] += 1
    meta = fragments.poll_meta(after.tally) if before.timing != after.timing else ""
    return meta + fragments.delta(before.tally, after.tally, audience, surface)


class SharedUpdates:
    """A publish's shared updates of one poll, each rendered when a socket first needs it:
    its frame, and whether the owner's #roster follows it (the owner's, when there is news)."""

    def __init__(
        self,
        fragments: Fragments,
        renders: Counter[str],
        before: Snapshot,
        after: Snapshot,
        closed: bool,
    ) -> None:
        self.fragments = fragments
        self.renders = renders
        self.before = before
        self.after = after
        self.closed = closed
        self._made: dict[ShareKey, tuple[Frame, bool]] = {}

    def get(self, key: ShareKey) -> tuple[Frame, bool]:
        sending = self._made.get(key)
        if sending is None:
            surface, variant, language = key
            audience = AUDIENCES[variant]
            with speaking(language):
                text = shared_update(
                    self.fragments,
                    self.renders,
                    self.before,
                    self.after,
                    audience,
                    surface,
                    self.closed,
                )
            sending = self._made[key] = (Frame(text), bool(text) and audience.owner)
        return sending


def voting_changed(before: Snapshot, after: Snapshot) -> set[int]:
    """The users who have voted in one state of the poll and not in the other: those a
    patch added, when `after` was patched from `before` (comparing who voted in each took
    0.5 ms at 20,000 votes)."""
    joined = joined_since(after.tally, before.tally)
    if joined is not None:
        return set(joined)
    return set(before.tally.voted ^ after.tally.voted)


def verdict_changed(before: Snapshot, after: Snapshot, user_id: int | None) -> bool:
    """A voter changed their pick after a quiz's reveal: their panel's verdict changes."""
    if not after.tally.revealed:
        return False
    return after.tally.choice_of(user_id) != before.tally.choice_of(user_id)
