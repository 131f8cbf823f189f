"""How one published state of a poll differs from the last: what every viewer of an audience
is sent, and which viewers need a full state of their own instead."""

from __future__ import annotations

from collections import Counter

from crowdsource.domain.visibility import Audience
from crowdsource.realtime.fragments import Fragments
from crowdsource.realtime.snapshot import Snapshot


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


def voting_changed(before: Snapshot, after: Snapshot) -> set[int]:
    """The users who have voted in one state of the poll and not in the other."""
    return set(before.tally.voted ^ after.tally.voted)


def verdict_changed(before: Snapshot, after: Snapshot, user_id: int | None) -> bool:
    """A voter changed their pick after a quiz's reveal: their panel's verdict changes."""
    if not after.tally.revealed:
        return False
    return after.tally.choice_of(user_id) != before.tally.choice_of(user_id)
