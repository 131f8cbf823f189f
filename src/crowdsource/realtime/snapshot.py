"""The last state of a poll this process pushed, and the renders made from it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from crowdsource.domain.models import Choice, Poll
from crowdsource.domain.tally import Tally
from crowdsource.domain.tally_patch import Watermark
from crowdsource.i18n.current import current_language


@dataclass(frozen=True)
class Snapshot:
    """One state of a poll: the baseline for the next deltas, and the home of the render
    cache. Full-state renders that many sockets share (a restart reconnects every viewer)
    are kept here, so a new state of the poll starts with an empty cache and the cache
    goes when the snapshot does."""

    poll: Poll
    tally: Tally
    # The poll's responses as read with it, when they were (a publish after new ballots
    # only keeps the row and these: `PollPublishing.read`).
    responses: tuple[Choice, ...] | None = field(default=None, compare=False, repr=False)
    # The latest vote counted, when a vote's news may patch the tally (domain/tally_patch.py),
    # and how many patches since the poll was read whole.
    watermark: Watermark | None = field(default=None, compare=False, repr=False)
    patches: int = field(default=0, compare=False, repr=False)
    _cache: dict[tuple[str, ...], str] = field(
        default_factory=dict, init=False, compare=False, repr=False
    )

    @property
    def rules(self) -> tuple[str, str]:
        return (self.poll.results_visibility, self.poll.show_voters)

    @property
    def timing(self) -> tuple[object, ...]:
        return (self.poll.closes_at, self.poll.closed_at)

    @property
    def controls(self) -> tuple[object, ...]:
        """What the owner's controls depend on (with votes or without: Vote again)."""
        return (*self.rules, *self.timing, self.tally.total_votes > 0)

    def cached(self, key: tuple[str, ...], render: Callable[[], str]) -> str:
        """`render()` once for this state of the poll and language being rendered; the
        same string after that."""
        key = (current_language(), *key)
        if key not in self._cache:
            self._cache[key] = render()
        return self._cache[key]
