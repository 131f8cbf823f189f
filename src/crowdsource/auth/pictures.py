"""A provider's picture is shown to every owner whose poll its person votes in: it is kept
only when it comes from an allowed avatar origin (`Settings.avatar_origins`, the list the
Content-Security-Policy's img-src is made of). Anything else gives way to the initials
avatar, so nobody chooses a host that every owner's browser then tells who looked, and when."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from urllib.parse import SplitResult, urlsplit

from crowdsource.domain.accounts import ProviderProfile

DEFAULT_PORTS = {"http": 80, "https": 443}


def _host_and_port(parts: SplitResult) -> tuple[str, int] | None:
    """The host and port a browser would contact, or None when there is any doubt."""
    try:
        port = parts.port or DEFAULT_PORTS.get(parts.scheme)
    except ValueError:  # not a port number
        return None
    if port is None or not parts.hostname or "@" in parts.netloc:
        return None
    return parts.hostname, port


def picture_allowed(url: str, origins: Iterable[str]) -> bool:
    """`url` is absolute, and served by one of `origins` (`*.` matches any subdomain)."""
    if "\\" in url or any(ord(char) <= 0x20 for char in url):
        return False  # browsers read `\\` as `/`: what we parse would not be what they load
    parts = urlsplit(url)
    place = _host_and_port(parts)
    if place is None:
        return False
    host, port = place
    for origin in origins:
        allowed = urlsplit(origin)
        allowed_place = _host_and_port(allowed)
        if allowed.scheme != parts.scheme or allowed_place is None or allowed_place[1] != port:
            continue
        pattern = allowed_place[0]
        if host == pattern or (pattern.startswith("*.") and host.endswith(pattern[1:])):
            return True
    return False


def allowed_picture(profile: ProviderProfile, origins: Iterable[str]) -> ProviderProfile:
    """`profile` without its picture when that is not from an allowed origin (the sign-in
    then gives the person the generated initials avatar)."""
    if not profile.avatar_url or picture_allowed(profile.avatar_url, origins):
        return profile
    return dataclasses.replace(profile, avatar_url="")
