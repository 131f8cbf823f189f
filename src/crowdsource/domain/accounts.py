"""Sign-in outcomes turned into users: a guest with a chosen name, or a provider profile."""

from __future__ import annotations

import secrets
import threading
from collections.abc import Awaitable, Callable, Sequence
from copy import copy
from dataclasses import dataclass

from tortoise.exceptions import IntegrityError

from crowdsource.domain.group_commit import GroupCommit
from crowdsource.domain.kept_statements import models_where_in
from crowdsource.domain.logins import allocate_login
from crowdsource.domain.models import NAME_MAX, User
from crowdsource.domain.person_message import PersonMessage
from crowdsource.domain.roster_store import replace_memberships
from crowdsource.domain.text import clean_line
from crowdsource.i18n.current import Text, ntext

# GitHub logins are [A-Za-z0-9-]: a `~` can never collide with one.
GUEST_PREFIX = "guest~"

# The address of the generated picture of a login (the web layer draws it and knows where).
InitialsAvatar = Callable[[str], str]


def is_guest(login: str) -> bool:
    """True for a guest's login: every surface that shows a name marks theirs as a guest's."""
    return login.startswith(GUEST_PREFIX)


class SignInRefused(PersonMessage, ValueError):
    """The sign-in cannot go ahead; the message (a `Text`) says why, for the person."""


@dataclass(frozen=True)
class ProviderProfile:
    """What a sign-in provider tells us about a person."""

    provider: str
    provider_id: str  # unique for the provider; for OpenID Connect, names the issuer too
    login: str  # the login wanted; another's is never taken (`logins.allocate_login`)
    name: str
    avatar_url: str  # empty when the provider has no usable picture
    previous_id: str = ""  # the id kept before this one, if any: that row is moved over
    # GitHub organisations and teams ((org, team), team "" for the org), lower case; None
    # when not read at this sign-in (what was stored before is kept)
    groups: tuple[tuple[str, str], ...] | None = None


def check_guest_name(raw: object) -> str:
    name = clean_line(raw)
    if not name:
        raise SignInRefused(Text("Tell us a name to show next to your vote."))
    if len(name) > NAME_MAX:
        raise SignInRefused(
            ntext(
                "Keep your name to %(count)s character.",
                "Keep your name to %(count)s characters.",
                NAME_MAX,
            )
        )
    return name


async def sign_in_guest(raw_name: object, initials_avatar: InitialsAvatar) -> User:
    """A new guest user every time: guests have no password to come back with. Their picture
    is the generated one. A login drawn twice (32 random bits: among 5,000 guests, about
    one school benchmark run in three hundred) is drawn again, not a failed sign-in."""
    name = check_guest_name(raw_name)

    async def create() -> User:
        login = GUEST_PREFIX + secrets.token_hex(4)
        return await User.create(
            provider="guest",
            provider_id=login,
            login=login,
            name=name,
            avatar_url=initials_avatar(login),
        )

    return await _retried(create)


ATTEMPTS = 5  # two sign-ins racing for one login: the loser allocates again


async def _retried(attempt: Callable[[], Awaitable[User]]) -> User:
    """`attempt()`, made again (up to ATTEMPTS times in all) while it loses a race for a
    unique value; the last attempt's error is the caller's."""
    for _ in range(ATTEMPTS - 1):
        try:
            return await attempt()
        except IntegrityError:
            continue
    return await attempt()


async def stored_user(profile: ProviderProfile) -> User | None:
    """The user `profile` names; failing that, the row stored under its `previous_id` (kept
    before users were keyed by issuer), which is moved to the new key once."""
    user = await User.get_or_none(provider=profile.provider, provider_id=profile.provider_id)
    if user is not None or not profile.previous_id:
        return user
    legacy = await User.get_or_none(provider=profile.provider, provider_id=profile.previous_id)
    if legacy is not None:
        legacy.provider_id = profile.provider_id
        await legacy.save(update_fields=["provider_id"])
    return legacy


async def _sign_in_once(profile: ProviderProfile, initials_avatar: InitialsAvatar) -> User:
    user = await stored_user(profile)
    login = await allocate_login(profile.login, user)
    fields = {
        "login": login,
        "name": clean_line(profile.name)[:100] or login,
        "avatar_url": profile.avatar_url or initials_avatar(login),
    }
    if user is None:
        return await User.create(
            provider=profile.provider, provider_id=profile.provider_id, **fields
        )
    await user.update_from_dict(fields).save()
    return user


async def sign_in_with_profile(profile: ProviderProfile, initials_avatar: InitialsAvatar) -> User:
    """Create or refresh the user known to `profile.provider` as `profile.provider_id`; without
    a picture from the provider, theirs is the generated one. Their login is the one the
    provider wants unless another person holds it (`logins.allocate_login`)."""
    user = await _retried(lambda: _sign_in_once(profile, initials_avatar))
    if profile.groups is not None:
        await replace_memberships(user, profile.groups)
    return user


async def user_by_id(user_id: int) -> User | None:
    """The user as the database has it now, or None. Lookups made at the same time (a class
    whose sockets open at once, each checking its cookie's user) share one query, the way
    votes share a commit (group_commit.py): a lookup still reads after it was asked, so a
    sign-out committed before it is seen."""
    return await _lookups().submit(user_id)


async def _read_users(ids: Sequence[int]) -> list[User | None]:
    """One query for a batch of lookups; each caller gets its own object, as with a query
    each (one of them may change and save it). A kept statement: sockets opening a few at a
    time make batches of about five, and Tortoise building each one's SQL cost more than
    running it (3,000 sockets: 560 batches)."""
    found = {user.id: user for user in await models_where_in(User, "id", set(ids))}
    given: set[int] = set()
    users: list[User | None] = []
    for user_id in ids:
        user = found.get(user_id)
        users.append(copy(user) if user is not None and user_id in given else user)
        given.add(user_id)
    return users


_per_thread = threading.local()


def _lookups() -> GroupCommit[int, User | None]:
    """This thread's batcher: an event loop runs in one thread, and a batch must never mix
    two loops' callers (tests run apps in threads of their own)."""
    lookups: GroupCommit[int, User | None] | None = getattr(_per_thread, "lookups", None)
    if lookups is None:
        lookups = _per_thread.lookups = GroupCommit(_read_users)
    return lookups
