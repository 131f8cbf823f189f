"""How many guests one client address may create for one poll.

A guest is made by one form post, with any name: without a limit, one script could fill a
poll with made-up voters. What is counted is guests created per address per poll, refilled
over an hour (`GUESTS_PER_POLL_PER_ADDRESS`): a shared classroom computer still lets the next
person join, a class of 300 behind one NAT still fits, and a flood stops. The poll is the one
`next` names; a `next` that names no existing poll (the home page, a made-up slug) counts
towards one bucket per address, so inventing paths gains nothing. Anything that creates a
guest passes `admit_guest` first (POST /login/guest, the one-submit vote form)."""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.requests import HTTPConnection

from crowdsource.domain.accounts import check_guest_name
from crowdsource.domain.models import Poll
from crowdsource.domain.poll_queries import PollNotFound, get_poll
from crowdsource.i18n.current import Text
from crowdsource.web import urls
from crowdsource.web.guards import client_address
from crowdsource.web.ratelimit import SLOW_DOWN

NO_POLL = ""  # the bucket of guests whose `next` names no poll


class TooManyGuests(Exception):
    """This address made as many guests for this poll as it may for now."""

    # The limit refills over an hour (`_per_hour` in ratelimit.py): the message says so.
    message = Text(
        "Too many guests have joined this poll from your network in the last hour. "
        "Sign in another way, or try again later."
    )


async def poll_of(next_path: str) -> Poll | None:
    """The existing poll `next_path` leads to (its page or any page under it), if any."""
    poll_page = "/".join(urlsplit(next_path).path.split("/")[:3])  # "/polls/{slug}"
    if not urls.is_path_of("poll", poll_page):
        return None
    try:
        return await get_poll(poll_page.rsplit("/", 1)[1])
    except PollNotFound:
        return None


async def poll_named_by(next_path: str) -> str:
    """The slug of the existing poll `next_path` leads to, or NO_POLL."""
    poll = await poll_of(next_path)
    return poll.slug if poll else NO_POLL


async def check_guest_creation(conn: HTTPConnection, next_path: str) -> None:
    """Take one guest from this address's allowance for the poll `next_path` names; raise
    TooManyGuests when there is none left."""
    poll = await poll_named_by(next_path)
    if not conn.app.state.limits.guests.allow((client_address(conn), poll)):
        raise TooManyGuests(TooManyGuests.message)


async def admit_guest(conn: HTTPConnection, raw_name: object, next_path: str) -> str:
    """Everything a new guest must pass, before one is made: the sign-ins from this address
    (TooManyGuests with "slow down"), the name (SignInRefused), the guests for the poll
    `next_path` names (TooManyGuests). Returns the clean name."""
    if not conn.app.state.limits.sign_ins.allow(client_address(conn)):
        raise TooManyGuests(SLOW_DOWN)
    name = check_guest_name(raw_name)
    await check_guest_creation(conn, next_path)
    return name
