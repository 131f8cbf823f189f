"""Keeping each socket's viewer in step with its user's session: a socket keeps only what its
user may see now, not what they had when it opened. A sign-out (heard from any process), a
token revoked while messages were lost, or a token's expiry turns the socket into a
signed-out visitor's (`Subscriber.sign_out`): it stays open and live, and its next message
is the full state a signed-out visitor gets."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from crowdsource.domain.sessions import token_versions
from crowdsource.realtime.hub import Hub
from crowdsource.realtime.viewers import Subscriber

log = logging.getLogger("crowdsource.realtime")


def signed_in(hub: Hub[Subscriber]) -> list[Subscriber]:
    """Every local socket whose viewer is signed in."""
    return [
        subscriber
        for group in hub.groups()
        for subscriber in hub.members(group)
        if subscriber.viewer.user is not None
    ]


def sign_out_user(hub: Hub[Subscriber], user_id: int) -> int:
    """Every local socket of the user now gets what a signed-out visitor gets. Returns how
    many sockets that was. A scan of the local sockets: sign-outs are rare, publishes not."""
    ended = [s for s in signed_in(hub) if s.viewer.user_id == user_id]
    for subscriber in ended:
        subscriber.sign_out()
    return len(ended)


async def recheck_sessions(hub: Hub[Subscriber]) -> int:
    """After news may have been lost (broker reconnect): sign out every socket whose token
    was revoked meanwhile, or whose user is gone. One query for all of them."""
    subscribers = signed_in(hub)
    if not subscribers:
        return 0
    current = await token_versions(s.viewer.user_id or 0 for s in subscribers)
    ended = [
        s
        for s in subscribers
        if s.viewer.user is not None
        and current.get(s.viewer.user.id) != s.viewer.user.token_version
    ]
    for subscriber in ended:
        subscriber.sign_out()
    if ended:
        log.info("signed out %d sockets whose sessions ended while news was lost", len(ended))
    return len(ended)


RECENT_SECONDS = 60.0  # far longer than a handshake takes to reach its join


class RecentSignOuts:
    """Users whose sessions ended lately, as this process heard it: a socket whose handshake
    read the token before such a sign-out may join after its news passed, so only those
    sockets need their session checked again at join (one query), not every socket."""

    def __init__(
        self, within: float = RECENT_SECONDS, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.within = within
        self.clock = clock
        self._heard: dict[int, float] = {}  # user -> when, oldest first

    def heard(self, user_id: int) -> None:
        now = self.clock()
        self._heard.pop(user_id, None)
        self._heard[user_id] = now
        while self._heard and next(iter(self._heard.values())) < now - self.within:
            del self._heard[next(iter(self._heard))]

    def lately(self, user_id: int) -> bool:
        when = self._heard.get(user_id)
        return when is not None and when >= self.clock() - self.within

    def __len__(self) -> int:
        return len(self._heard)
