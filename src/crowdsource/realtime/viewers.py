"""Who is behind each socket, as the publisher sees them: the hub only carries their bytes."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, ClassVar

from crowdsource.domain import clock
from crowdsource.domain.models import User
from crowdsource.domain.participation import RosterStatus
from crowdsource.domain.visibility import Audience, audience_for
from crowdsource.i18n.languages import SOURCE
from crowdsource.realtime.broker.protocol import GroupKey
from crowdsource.realtime.fragments import PAGE
from crowdsource.realtime.hub import Client
from crowdsource.realtime.snapshot import Snapshot

NO_POLL = 0  # the poll id of a room's socket while the room waits for a question


def room_group(room_id: int) -> str:
    """The hub group (and presence key) of a room's sockets: they follow its current
    question, whichever poll that is."""
    return f"room-{room_id}"


@dataclass(frozen=True)
class RoomSeat:
    """The room a socket follows; `host`: the owner's console (results and controls)."""

    room_id: int
    code: str
    host: bool = False


@dataclass(frozen=True, slots=True)
class Viewer:
    """Who is behind one socket, and on which surface (the poll page, or projector/embed).
    `expires_at`: when the token the socket opened with stops being valid. A room's socket
    (`room`) shows the room's current question, `poll_id` (NO_POLL while it waits).
    `language`: every message to it is rendered in that language. Slots, and `user_id`
    kept: a publish reads them once per socket (docs/performance.md, round twenty-one)."""

    poll_id: int
    user: User | None
    csrf_token: str
    surface: str = PAGE
    share_url: str = ""
    expires_at: datetime | None = None
    room: RoomSeat | None = None
    language: str = SOURCE  # what its pushes are rendered in (the page's language)
    user_id: int | None = field(init=False, default=None)  # the user's, without the User

    def __post_init__(self) -> None:
        object.__setattr__(self, "user_id", None if self.user is None else self.user.id)

    @property
    def group(self) -> GroupKey:
        """The hub group the socket belongs to: its poll's, or its room's."""
        return room_group(self.room.room_id) if self.room else self.poll_id

    def showing(self, poll_id: int) -> Viewer:
        """The same room socket, now following another question."""
        return replace(self, poll_id=poll_id)

    @property
    def audience_id(self) -> int | None:
        """Projector and embed show what the room may see, even on the owner's screen."""
        return self.user_id if self.surface == PAGE else None

    def audience(self, snapshot: Snapshot, now: datetime | None = None) -> Audience:
        """What this viewer may see of the poll in that state."""
        # who has voted (a set the push reads anyway), not what: no ballot built per voter
        voted = self.audience_id is not None and self.audience_id in snapshot.tally.voted
        return audience_for(snapshot.poll, self.audience_id, voted, now or clock.now())

    def expired(self, now: datetime) -> bool:
        """Their token has expired: they may see only what a signed-out visitor sees."""
        return self.expires_at is not None and now >= self.expires_at

    def signed_out(self) -> Viewer:
        """The same socket, as a signed-out visitor sees the poll."""
        return replace(self, user=None, expires_at=None)

    def owns_page(self, snapshot: Snapshot) -> bool:
        """The owner on the poll page: the one viewer who gets the controls."""
        owner_id = snapshot.poll.owner_id  # type: ignore[attr-defined]
        return self.surface == PAGE and self.user_id == owner_id


_SORTED_BY = frozenset({"viewer", "variant"})  # a Subscriber's fields that decide its update
_UNSET = object()  # such a field before its first setting


@dataclass(eq=False, slots=True, weakref_slot=True)
class Subscriber:
    """One socket of a poll: who watches, the audience variant the publisher last sent
    them, and the hub's client that carries the bytes. `changes` counts every change of
    any subscriber's viewer or variant (setting the same again is none): what decides which
    update a socket is sent (realtime/audience_groups.py keeps a sorting while it has not
    moved, or moves the sockets that it moved itself)."""

    changes: ClassVar[int] = 0

    viewer: Viewer
    client: Client
    variant: str = ""
    signed_out_from: Viewer | None = None  # who they were, until the full state says so
    moved_on: bool = False  # a room's socket whose question changed, until its full state
    # The owner's #roster as last told to this socket, and the client's `resyncs` then
    # (a full state since may have dropped it): the next vote tells only what changed.
    roster_shown: RosterStatus | None = None
    roster_resyncs: int = -1

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _SORTED_BY and getattr(self, name, _UNSET) != value:
            Subscriber.changes += 1
        object.__setattr__(self, name, value)

    def resync(self, variant: str) -> None:
        """Their audience changed (or a delta cannot apply): full state next."""
        self.variant = variant
        self.client.request_resync()

    def sign_out(self) -> None:
        """Their session ended (signed out, revoked, expired): from now on the socket gets
        what a signed-out visitor gets, starting with that full state."""
        if self.viewer.user is None:
            return
        self.end_session()
        self.resync("")  # the full state's render sets the signed-out variant

    def end_session(self) -> None:
        """The viewer becomes a signed-out visitor; who they were is kept until the next
        full state, which takes their owner's tools off the page."""
        if self.viewer.user is not None:
            self.signed_out_from, self.viewer = self.viewer, self.viewer.signed_out()
