"""“Poll X changed”: what every write command says after its transaction committed.

The announcer is injected once at start-up (the app passes its broker, which carries the news
to every process). `announce` is the only caller of `poll_changed` in the code base."""

from __future__ import annotations

import logging
from typing import Protocol

log = logging.getLogger("crowdsource.announcer")


class Announcer(Protocol):
    async def poll_changed(self, poll_id: int) -> None:
        """Tell every open page of the poll, in every process, that its stored state changed."""


async def announce(announcer: Announcer, poll_id: int) -> None:
    """Announce a committed change. A failure is logged, not raised: the change is stored
    already, and a reload or the next resynchronisation shows it."""
    try:
        await announcer.poll_changed(poll_id)
    except Exception:
        log.exception("announcing a change of poll %s failed", poll_id)
