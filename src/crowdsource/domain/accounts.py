"""Sign-in outcomes turned into users: a guest with a chosen name, or a provider profile."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass

from crowdsource.domain.models import NAME_MAX, User
from crowdsource.domain.text import clean_line

# GitHub logins are [A-Za-z0-9-]: a `~` can never collide with one.
GUEST_PREFIX = "guest~"

# The address of the generated picture of a login (the web layer draws it and knows where).
InitialsAvatar = Callable[[str], str]


class SignInRefused(ValueError):
    """The sign-in cannot go ahead; the message says why, for the person."""


@dataclass(frozen=True)
class ProviderProfile:
    """What a sign-in provider tells us about a person."""

    provider: str
    provider_id: str
    login: str
    name: str
    avatar_url: str  # empty when the provider has no usable picture


def check_guest_name(raw: object) -> str:
    name = clean_line(raw)
    if not name:
        raise SignInRefused("Tell us a name to show next to your vote.")
    if len(name) > NAME_MAX:
        raise SignInRefused(f"Keep your name to {NAME_MAX} characters.")
    return name


async def sign_in_guest(raw_name: object, initials_avatar: InitialsAvatar) -> User:
    """A new guest user every time: guests have no password to come back with. Their picture
    is the generated one."""
    name = check_guest_name(raw_name)
    login = GUEST_PREFIX + secrets.token_hex(4)
    return await User.create(
        provider="guest",
        provider_id=login,
        login=login,
        name=name,
        avatar_url=initials_avatar(login),
    )


async def _release_login(login: str, keep_user_id: int | None) -> None:
    """GitHub logins can be renamed and reused: an old row holding `login` gives it up."""
    holders = User.filter(login=login)
    if keep_user_id is not None:
        holders = holders.exclude(id=keep_user_id)
    await holders.update(login=f"{login}~renamed~{secrets.token_hex(3)}")


async def sign_in_with_profile(profile: ProviderProfile, initials_avatar: InitialsAvatar) -> User:
    """Create or refresh the user known to `profile.provider` as `profile.provider_id`; without
    a picture from the provider, theirs is the generated one."""
    user = await User.get_or_none(provider=profile.provider, provider_id=profile.provider_id)
    fields = {
        "login": profile.login,
        "name": clean_line(profile.name)[:100] or profile.login,
        "avatar_url": profile.avatar_url or initials_avatar(profile.login),
    }
    await _release_login(profile.login, user.id if user else None)
    if user is None:
        return await User.create(
            provider=profile.provider, provider_id=profile.provider_id, **fields
        )
    await user.update_from_dict(fields).save()
    return user


async def user_by_id(user_id: int) -> User | None:
    return await User.get_or_none(id=user_id)
