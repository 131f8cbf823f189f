"""A poll's local sockets sorted by the shared update each one is sent, kept from one publish
to the next.

When only a poll's votes changed, a publish sends every socket the update of its (surface,
audience variant, language). Deciding that socket by socket (has its token expired, did its
own vote change what it may see, which update is its) was most of a publish's own work at
1,000 sockets: each socket's objects are read from memory that the last fan-out has left
cold. The sorting one publish made is used by the next while nothing that decided it has
changed:

- no socket here joined or left, and the same rooms show the poll (`Stamp`);
- no socket's viewer or variant changed since (`Subscriber.changes`), except where a
  publish changed it and put the socket in its new group (`regroup`);
- no token among them has expired.

The voters whose having voted changed are still asked again, one by one (`by_user`). One
whose vote shows them more (an `after_vote` poll) is sent their full state, and moved to the
group of what they see now: the next vote still goes by the sorting."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from datetime import datetime

from crowdsource.realtime.changes import ShareKey
from crowdsource.realtime.hub import Client
from crowdsource.realtime.viewers import Subscriber

Stamp = tuple[Hashable, ...]  # subscribers' changes, leaves, joins, rooms showing the poll


def share_key(subscriber: Subscriber) -> ShareKey:
    """The shared update a socket is sent: its surface, audience variant and language."""
    viewer = subscriber.viewer
    return (viewer.surface, subscriber.variant, viewer.language)


@dataclass
class AudienceGroup:
    """The sockets that take the same update: their subscribers (the owner's are told
    #roster after it) and their clients (what the fan-out writes to)."""

    subscribers: list[Subscriber] = field(default_factory=list)
    clients: list[Client] = field(default_factory=list)


@dataclass
class AudienceGroups:
    """One poll's sockets by shared update, as a publish found them at `stamp`."""

    stamp: Stamp
    groups: dict[ShareKey, AudienceGroup] = field(default_factory=dict)
    by_user: dict[int, list[Subscriber]] = field(default_factory=dict)
    expires: datetime | None = None  # the earliest token's expiry among them
    _ordered: list[tuple[ShareKey, AudienceGroup]] | None = field(default=None, repr=False)

    def add(self, key: ShareKey, subscriber: Subscriber) -> None:
        """A socket sent the shared update of `key` by the publish that sorts them."""
        self._ordered = None
        group = self.groups.get(key)
        if group is None:
            group = self.groups[key] = AudienceGroup()
        group.subscribers.append(subscriber)
        group.clients.append(subscriber.client)
        viewer = subscriber.viewer
        if viewer.user_id is not None:
            self.by_user.setdefault(viewer.user_id, []).append(subscriber)
        expires = viewer.expires_at
        if expires is not None and (self.expires is None or expires < self.expires):
            self.expires = expires

    def regroup(self, moved: set[Subscriber], stamp: Stamp) -> None:
        """These sockets' variant changed in a publish that sent by this sorting: each goes
        to the group of its new one, and the sorting holds at `stamp`, which counts those
        changes. Their token and user are as they were."""
        self._ordered = None
        for key, group in list(self.groups.items()):
            if any(subscriber in moved for subscriber in group.subscribers):
                group.subscribers = [s for s in group.subscribers if s not in moved]
                group.clients = [s.client for s in group.subscribers]
                if not group.subscribers:
                    del self.groups[key]
        for subscriber in moved:
            group = self.groups.setdefault(share_key(subscriber), AudienceGroup())
            group.subscribers.append(subscriber)
            group.clients.append(subscriber.client)
        self.stamp = stamp

    def hold(self, stamp: Stamp, now: datetime) -> bool:
        """Still every socket of the poll here, each where it was sorted, none expired."""
        return stamp == self.stamp and (self.expires is None or now < self.expires)

    def largest_first(self) -> list[tuple[ShareKey, AudienceGroup]]:
        """The groups, the one with the most sockets first: a room's students start reading
        their update while the owner's and the projector's are rendered, not after."""
        if self._ordered is None:
            self._ordered = sorted(self.groups.items(), key=lambda item: -len(item[1].clients))
        return self._ordered

    def asked_again(self, user_ids: set[int]) -> list[Subscriber]:
        """The sockets of these users (whose having voted changed)."""
        return [s for user_id in user_ids for s in self.by_user.get(user_id, ())]
