"""Display logins, one person's at a time: the login a provider gives (or the one derived from
its claims) unless someone else holds it; then a numbered variant (`ada+2@school`) that no
provider can give. The holder keeps theirs: a login never passes to another person while its
holder has it, so votes always carry their own voter's name."""

from __future__ import annotations

import re

from crowdsource.domain.models import LOGIN_MAX, User

# `+` is in no GitHub login and no cleaned OpenID username: a variant never equals a login a
# provider gives, and it never starts a guest's `guest~` either.
VARIANT_MARK = "+"
VARIANT = re.compile(r"[^@]*\+[1-9][0-9]*(@.*)?", re.DOTALL)
FIRST_VARIANT = 2
BATCH = 50  # variants looked up per query


def variant(wanted: str, number: int) -> str:
    """`wanted` with `+number` before its `@domain` (or at its end), within LOGIN_MAX."""
    local, at, domain = wanted.rpartition("@")
    if not at:
        local, domain = wanted, ""
    suffix = f"{VARIANT_MARK}{number}"
    room = LOGIN_MAX - len(at + domain) - len(suffix)
    return f"{local[:room]}{suffix}{at}{domain}"


def is_variant_of(login: str, wanted: str) -> bool:
    """True when `login` is one of the numbered variants of `wanted`."""
    if not VARIANT.fullmatch(login):
        return False
    digits = login.partition("@")[0].rpartition(VARIANT_MARK)[2]
    return variant(wanted, int(digits)) == login


async def held_by_another(login: str, user_id: int | None) -> bool:
    holders = User.filter(login=login)
    if user_id is not None:
        holders = holders.exclude(id=user_id)
    return await holders.exists()


async def first_free_variant(wanted: str) -> str:
    """The lowest-numbered variant of `wanted` nobody holds."""
    start = FIRST_VARIANT
    while True:
        candidates = [variant(wanted, number) for number in range(start, start + BATCH)]
        held = set(await User.filter(login__in=candidates).values_list("login", flat=True))
        free = [candidate for candidate in candidates if candidate not in held]
        if free:
            return free[0]
        start += BATCH


async def allocate_login(wanted: str, user: User | None) -> str:
    """The login `user` (None: someone not stored yet) gets when their provider says `wanted`.

    They get `wanted` itself when nobody else holds it (a GitHub rename is followed); else
    they keep the variant of `wanted` they already have; else the first free variant."""
    user_id = user.id if user is not None else None
    if not await held_by_another(wanted, user_id):
        return wanted
    if user is not None and is_variant_of(user.login, wanted):
        return user.login
    return await first_free_variant(wanted)
