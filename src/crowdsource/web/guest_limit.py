"""How many guests one client address may create for one poll.

A guest is made by one form post, with any name: without a limit, one script could fill a
poll with made-up voters. What is counted is guests created per address per poll, refilled
over an hour (`GUESTS_PER_POLL_PER_ADDRESS`): a shared classroom computer still lets the next
person join, a class of 300 behind one NAT still fits, and a flood stops. The poll is the one
`next` names; a `next` that names no existing poll (the home page, a made-up slug) counts
towards one bucket per address, so inventing paths gains nothing. Anything that creates a
guest calls `check_guest_creation` first (POST /login/guest, the one-submit vote form)."""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.requests import HTTPConnection

from crowdsource.domain.poll_queries import PollNotFound, get_poll
from crowdsource.web import urls
from crowdsource.web.guards import client_address

GUEST_WINDOW = "hour"  # the limit refills over this; said in the message
NO_POLL = ""  # the bucket of guests whose `next` names no poll


class TooManyGuests(Exception):
    """This address made as many guests for this poll as it may for now."""

    message = (
        f"Too many guests have joined this poll from your network in the last {GUEST_WINDOW}. "
        "Sign in another way, or try again later."
    )


async def poll_named_by(next_path: str) -> str:
    """The slug of the existing poll `next_path` leads to (its page or any page under it),
    or NO_POLL."""
    poll_page = "/".join(urlsplit(next_path).path.split("/")[:3])  # "/polls/{slug}"
    if not urls.is_path_of("poll", poll_page):
        return NO_POLL
    slug = poll_page.rsplit("/", 1)[1]
    try:
        return (await get_poll(slug)).slug
    except PollNotFound:
        return NO_POLL


async def check_guest_creation(conn: HTTPConnection, next_path: str) -> None:
    """Take one guest from this address's allowance for the poll `next_path` names; raise
    TooManyGuests when there is none left."""
    poll = await poll_named_by(next_path)
    if not conn.app.state.limits.guests.allow((client_address(conn), poll)):
        raise TooManyGuests(TooManyGuests.message)
