"""Element ids derived from user data, safe in HTML and as CSS selectors (`#…`) as they are:
an htmx out-of-band swap names its target by one."""

from __future__ import annotations

SAFE = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-")


def member_element_id(login: str) -> str:
    """The id of a login's row in #roster: letters, digits and '-' kept, any other
    character (and '_' itself) written `_hex_`, so two logins never share an id."""
    return "roster-m-" + "".join(c if c in SAFE else f"_{ord(c):x}_" for c in login)
