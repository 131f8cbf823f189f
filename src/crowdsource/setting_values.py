"""How each configuration value is read and checked: one function per kind of value, each
refusing a bad one with a `SettingsError` that says, in one line, what to change."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from starlette.config import Config

from crowdsource.domain.service_urls import masked_url
from crowdsource.i18n.languages import SHIPPED, canonical

# An AVATAR_HOSTS entry: a host (https) or an origin; `*.` for its subdomains, as in CSP.
AVATAR_HOST = re.compile(
    r"(?:(https?)://)?((?:\*\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*|\[[0-9a-f:.]+\])(?::(\d{1,5}))?/?"
)
REDIS_PREFIX = re.compile(r"[A-Za-z0-9._-]+(:[A-Za-z0-9._-]+)*")
REDIS_PREFIX_MAX = 64

MIN_METRICS_TOKEN = 16  # characters: no scraper's password should be guessable


class SettingsError(ValueError):
    """The configuration cannot be used; the message says why, in one line."""


def flag(config: Config, name: str, default: bool) -> bool:
    value = config(name, default=None)
    if value is None or value.strip() == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "on", "true", "yes"}:
        return True
    if lowered in {"0", "off", "false", "no"}:
        return False
    raise SettingsError(f"{name} must be on or off, not {value!r}")


def positive(config: Config, name: str, default: float) -> float:
    raw = config(name, default=None)
    if raw is None or not str(raw).strip():
        return default
    try:
        value = float(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a number, got {raw!r}") from None
    if value <= 0:
        raise SettingsError(f"{name} must be more than 0, got {raw!r}")
    return value


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def public_url(raw: str) -> str:
    """PUBLIC_URL is an origin: what people type, without a path (routes live at `/`)."""
    url = raw.strip().rstrip("/")
    parts = urlsplit(url)
    if (
        parts.scheme not in {"http", "https"}
        or not parts.hostname
        or parts.path
        or parts.query
        or parts.fragment
        or "@" in parts.netloc
    ):
        raise SettingsError(
            f"PUBLIC_URL must be the address people type, scheme and host only, like "
            f"https://polls.example.edu or http://127.0.0.1:8000, not {raw!r}"
        )
    return url


def avatar_hosts(raw: str) -> tuple[str, ...]:
    """AVATAR_HOSTS as origins, written as a Content-Security-Policy's img-src takes them."""
    origins = []
    for entry in raw.split():
        match = AVATAR_HOST.fullmatch(entry.lower())
        if match is None:
            raise SettingsError(
                "AVATAR_HOSTS takes hosts or origins such as lh3.googleusercontent.com, "
                f"https://*.googleusercontent.com or http://10.0.0.5:8080, not {entry!r}"
            )
        scheme, host, port = match.groups()
        origins.append(f"{scheme or 'https'}://{host}" + (f":{port}" if port else ""))
    return tuple(dict.fromkeys(origins))


def github_avatar_origins(github_url: str) -> tuple[str, ...]:
    """github.com's avatars come from their own host; GitHub Enterprise Server serves them
    from itself, or from `avatars.` under it with subdomain isolation."""
    if github_url == "https://github.com":
        return ("https://avatars.githubusercontent.com",)
    parts = urlsplit(github_url)
    return (origin(github_url), f"{parts.scheme}://avatars.{parts.netloc}")


def scheme_of(name: str, url: str | None, schemes: tuple[str, ...]) -> str | None:
    """Refuse a URL whose scheme this app cannot use, before anything tries to connect."""
    if url is None:
        return None
    scheme = urlsplit(url).scheme if "://" in url else ""
    if scheme not in schemes:
        choices = ", ".join(f"{choice}://" for choice in schemes)
        raise SettingsError(f"{name} must start with one of {choices}, not {masked_url(url)!r}")
    return url


def redis_prefix(raw: str) -> str:
    """REDIS_PREFIX: the first part of every Redis channel and key of this deployment."""
    prefix = raw.strip().rstrip(":") or "crowdsource"
    if len(prefix) > REDIS_PREFIX_MAX or not REDIS_PREFIX.fullmatch(prefix):
        raise SettingsError(
            f"REDIS_PREFIX must be up to {REDIS_PREFIX_MAX} letters, digits and . _ - : "
            f"(like crowdsource-staging), not {raw!r}"
        )
    return prefix


def metrics_token(raw: str) -> str | None:
    """METRICS_TOKEN: long enough not to guess, and sendable as a header value."""
    token = raw.strip()
    if not token:
        return None
    if len(token) < MIN_METRICS_TOKEN or not token.isascii() or not token.isprintable():
        raise SettingsError(
            f"METRICS_TOKEN must be at least {MIN_METRICS_TOKEN} printable ASCII characters, "
            "such as the output of `openssl rand -hex 32`"
        )
    if " " in token:
        raise SettingsError("METRICS_TOKEN cannot contain spaces")
    return token


def languages(raw: str) -> tuple[str, ...]:
    """LANGUAGES: shipped codes separated by spaces or commas, in the switcher's order;
    empty: all shipped."""
    entries = raw.replace(",", " ").split()
    if not entries:
        return tuple(SHIPPED)
    chosen = []
    for entry in entries:
        code = canonical(entry)
        if code is None:
            raise SettingsError(
                f"LANGUAGES takes the shipped languages ({' '.join(SHIPPED)}), not {entry!r}"
            )
        chosen.append(code)
    return tuple(dict.fromkeys(chosen))


def default_language(raw: str, offered: tuple[str, ...]) -> str:
    """DEFAULT_LANGUAGE: one of LANGUAGES (English when unset and offered, else the first)."""
    if not raw.strip():
        return "en" if "en" in offered else offered[0]
    code = canonical(raw)
    if code not in offered:
        raise SettingsError(
            f"DEFAULT_LANGUAGE must be one of LANGUAGES ({' '.join(offered)}), not {raw.strip()!r}"
        )
    return code
