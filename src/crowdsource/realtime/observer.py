"""What the publisher tells whoever watches it (the metrics): one call per publish of a poll,
one per outbox that overflowed, never one per socket per message."""

from __future__ import annotations

from typing import Protocol


class PublishObserver(Protocol):
    def published(self, lag: float, fanout: float) -> None:
        """A poll was published: `lag` seconds from hearing of the change to starting,
        `fanout` seconds to re-read it, render it and queue it to every local socket."""

    def publish_failed(self) -> None:
        """A publish raised (the database is away, mostly); it is retried."""

    def outbox_overflowed(self) -> None:
        """A socket fell behind: its queued deltas were dropped for one full state."""


class Unobserved:
    """Nobody watches (tests, benchmarks)."""

    def published(self, lag: float, fanout: float) -> None:
        pass

    def publish_failed(self) -> None:
        pass

    def outbox_overflowed(self) -> None:
        pass


UNOBSERVED = Unobserved()
