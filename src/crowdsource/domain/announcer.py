"""What every write command says after its transaction committed: “poll X changed” (only
its ballots, for a vote), or “room X changed” (its screens follow another question), or
“user X's sessions ended” (they signed out everywhere).

The announcer is injected once at start-up (the app passes its broker, which carries the news
to every process). `announce`, `announce_votes`, `announce_room` and
`announce_sessions_ended` are the only callers of `poll_changed`, `votes_changed`,
`room_changed` and `sessions_ended` in the code base."""

from __future__ import annotations

import logging
from typing import Protocol

log = logging.getLogger("crowdsource.announcer")


class Announcer(Protocol):
    async def poll_changed(self, poll_id: int) -> None:
        """Tell every open page of the poll, in every process, that its stored state changed."""

    async def votes_changed(self, poll_id: int, voters: frozenset[int] | None = None) -> None:
        """As `poll_changed`, when only the poll's ballots changed (those of `voters`, when
        given): its own row and its responses are as they were, and a listener may keep
        those it read, and the other voters' ballots (a broker that cannot carry the
        difference announces `poll_changed`)."""

    async def room_changed(self, room_id: int) -> None:
        """Tell every screen of the room, in every process, that what it shows moved on
        (another current question) or that its list of questions changed."""

    async def sessions_ended(self, user_id: int) -> None:
        """Tell every process that every token of the user stopped working: their open
        sockets must stop seeing what only they could see."""


async def announce(announcer: Announcer, poll_id: int) -> None:
    """Announce a committed change. A failure is logged, not raised: the change is stored
    already, and a reload or the next resynchronisation shows it."""
    try:
        await announcer.poll_changed(poll_id)
    except Exception:
        log.exception("announcing a change of poll %s failed", poll_id)


async def announce_votes(announcer: Announcer, poll_id: int, voters: frozenset[int]) -> None:
    """Announce the committed ballots of `voters`, and nothing else of the poll (see
    `announce`)."""
    try:
        await announcer.votes_changed(poll_id, voters)
    except Exception:
        log.exception("announcing the votes of poll %s failed", poll_id)


async def announce_room(announcer: Announcer, room_id: int) -> None:
    """Announce a committed change of a room (see `announce`)."""
    try:
        await announcer.room_changed(room_id)
    except Exception:
        log.exception("announcing a change of room %s failed", room_id)


async def announce_sessions_ended(announcer: Announcer, user_id: int) -> None:
    """Announce a committed sign-out. A failure is logged, not raised: the tokens are revoked
    already (votes are refused), and the next resynchronisation re-checks every socket."""
    try:
        await announcer.sessions_ended(user_id)
    except Exception:
        log.exception("announcing the sign-out of user %s failed", user_id)
