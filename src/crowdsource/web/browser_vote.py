"""One guest vote per browser and poll. A guest has no password: signing out and joining
again under another name makes a new person, who could vote again. So a guest's vote is
refused when another guest who signed in on the same browser (auth/session.py
`browser_guests`, kept through sign-out) already voted in this poll: the next person at a
shared computer can still join, and vote in any poll this browser has not voted in.
People signed in with an account (GitHub, OpenID Connect) are accountable and never refused
here. A private window, another browser or cleared cookies still make a new guest: only an
account can stop that."""

from __future__ import annotations

from starlette.requests import HTTPConnection

from crowdsource.auth.session import browser_guests
from crowdsource.domain.accounts import is_guest
from crowdsource.domain.models import Poll, User
from crowdsource.domain.poll_queries import voted_in
from crowdsource.domain.vote_refusals import VoteRejected
from crowdsource.i18n.current import Text


class BrowserVotedAlready(VoteRejected):
    """Another guest of this browser has a vote in this poll."""

    def __init__(self) -> None:
        super().__init__(
            Text(
                "This browser has already voted in this poll, as another guest: one guest "
                "vote per browser. To vote too, use your own phone or sign in with an account."
            )
        )


async def check_browser_vote(conn: HTTPConnection, poll: Poll, user: User | None) -> None:
    """Raise BrowserVotedAlready when `user` (a guest, or None: about to become one) would be
    this browser's second guest voting in `poll`."""
    if user is not None and not is_guest(user.login):
        return
    others = [guest for guest in browser_guests(conn) if user is None or guest != user.id]
    if others and await voted_in(poll, others):
        raise BrowserVotedAlready()
