"""What every route needs: who is asking, the poll they name, a CSRF-checked form."""

from __future__ import annotations

import ipaddress
from collections.abc import Hashable, Iterator
from contextlib import contextmanager
from functools import lru_cache

from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import HTTPConnection, Request

from crowdsource.auth.backend import current_user
from crowdsource.auth.csrf import FIELD, csrf_valid
from crowdsource.domain.models import Poll, Room, User
from crowdsource.domain.poll_queries import PollNotFound, get_poll
from crowdsource.domain.polls import PollCommands
from crowdsource.domain.room_queries import RoomNotFound, get_room
from crowdsource.domain.rooms import RoomCommands
from crowdsource.i18n.current import Text
from crowdsource.web.errors import SignInRequired
from crowdsource.web.middleware.forwarded import peer_trusted
from crowdsource.web.ratelimit import SLOW_DOWN, RateLimiter

MAX_FORM_FIELDS = 40
MAX_ADDRESS_LENGTH = 64
IPV6_PREFIX = 64  # the network an IPv6 client is counted by: what one site is given
ADDRESSES_KEPT = 4096  # rate-limit keys of the latest addresses: a lecture hall shares a few


def poll_commands(conn: HTTPConnection) -> PollCommands:
    """The app's write commands (built once in app.py): every change of a poll goes here."""
    commands: PollCommands = conn.app.state.poll_commands
    return commands


def room_commands(conn: HTTPConnection) -> RoomCommands:
    """The app's room commands (built once in app.py): every change of a room goes here."""
    commands: RoomCommands = conn.app.state.room_commands
    return commands


def client_address(conn: HTTPConnection) -> str:
    """Who is asking, as rate limits count them: the client's address, an IPv6 client's /64
    (one household, classroom or phone holds a whole /64 and may change addresses within it).

    Behind a proxy that sets a header of its own with the address it saw (Fly's
    `Fly-Client-IP`), CLIENT_IP_HEADER names it, believed only when the request came from a
    proxy of FORWARDED_ALLOW_IPS; otherwise the peer, or the client a trusted proxy named in
    `X-Forwarded-For` (web/middleware/forwarded.py)."""
    address = conn.client.host if conn.client else "unknown"
    header = conn.app.state.settings.client_ip_header
    if header and peer_trusted(conn):
        value = conn.headers.get(header, "").strip()
        if value and len(value) <= MAX_ADDRESS_LENGTH:
            address = value
    return rate_limit_key(address)


@lru_cache(maxsize=ADDRESSES_KEPT)
def rate_limit_key(address: str) -> str:
    """An IPv4 address as it is, an IPv6 one as its /64 network (an IPv4-mapped one as its
    IPv4 address); anything else (a unix socket, a test client) as it is. Every request and
    socket asks; a class behind one NAT asks for the same address, parsed once."""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.IPv6Network((parsed, IPV6_PREFIX), strict=False))
    return str(parsed)


def within_limit(limiter: RateLimiter, key: Hashable) -> None:
    """429 with a calm page when `key` goes over `limiter`'s rate."""
    if not limiter.allow(key):
        wait = str(limiter.retry_after(key))
        raise HTTPException(429, SLOW_DOWN, headers={"Retry-After": wait})


def require_user(conn: HTTPConnection, next_path: str | None = None) -> User:
    user = current_user(conn)
    if user is None:
        raise SignInRequired(next_path or conn.url.path)
    return user


@contextmanager
def still_there() -> Iterator[None]:
    """A poll that is not there (never was, or deleted meanwhile in another tab) answers 404,
    as its link now does."""
    try:
        yield
    except PollNotFound:
        raise HTTPException(404, Text("There is no poll at this link.")) from None


async def poll_from_path(conn: HTTPConnection) -> Poll:
    with still_there():
        return await get_poll(conn.path_params["slug"])


def require_owner(conn: HTTPConnection, poll: Poll, next_path: str | None = None) -> User:
    user = require_user(conn, next_path)
    if user.id != poll.owner_id:  # type: ignore[attr-defined]
        raise HTTPException(403, Text("Only the person who created this poll can do that."))
    return user


async def room_by_code(conn: HTTPConnection, typed: str) -> Room:
    """The room of a code as typed. A wrong code is counted against the address (guessing
    is rate limited: 429 once its tries are spent, even for a right code) and raises
    RoomNotFound, which errors.py answers with the code form."""
    limiter, address = conn.app.state.limits.wrong_codes, client_address(conn)
    if limiter.exhausted(address):
        raise HTTPException(429, SLOW_DOWN, headers={"Retry-After": "5"})
    try:
        return await get_room(typed)
    except RoomNotFound:
        limiter.allow(address)
        raise


async def room_from_path(conn: HTTPConnection) -> Room:
    return await room_by_code(conn, conn.path_params["code"])


def require_room_owner(conn: HTTPConnection, room: Room) -> User:
    """The room's owner: 303 to sign in for a signed-out visitor, 403 for anyone else."""
    user = require_user(conn)
    if user.id != room.owner_id:  # type: ignore[attr-defined]
        raise HTTPException(403, Text("Only the instructor who created this room can do that."))
    return user


async def checked_form(request: Request) -> FormData:
    """The posted form, after its CSRF token is checked (403 when missing or wrong)."""
    form = await request.form(max_files=0, max_fields=MAX_FORM_FIELDS)
    if not csrf_valid(request, request.app.state.settings.secret_key, form.get(FIELD)):
        raise HTTPException(
            403,
            Text("This form has expired or did not come from this site. Reload and try again."),
        )
    return form
