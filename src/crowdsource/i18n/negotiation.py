"""Which language a visitor gets: `?lang=` (which also sets the cookie), else the cookie
`crowdsource_lang`, else the best match of `Accept-Language`, else the default."""

from __future__ import annotations

from crowdsource.i18n.languages import canonical

COOKIE = "crowdsource_lang"
QUERY = "lang"
COOKIE_MAX_AGE = 365 * 24 * 3600


def from_accept_language(header: str, offered: tuple[str, ...]) -> str | None:
    """The offered language the header prefers most (q-values honoured, `pt` matching
    `pt-BR`, `*` ignored); None when it names none of them."""
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate(header.split(",")[:32]):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if tag and tag != "*" and quality > 0:
            ranked.append((-quality, position, tag.strip()))
    for _quality, _position, tag in sorted(ranked):
        exact = canonical(tag)
        if exact in offered:
            return exact
        primary = tag.split("-")[0].split("_")[0].lower()
        for code in offered:
            if code.split("-")[0].lower() == primary:
                return code
    return None


def offered_code(raw: str | None, offered: tuple[str, ...]) -> str | None:
    code = canonical(raw) if raw else None
    return code if code in offered else None


def choose(
    query: str | None,
    cookie: str | None,
    accept_language: str,
    offered: tuple[str, ...],
    default: str,
    preferred: str | None = None,
) -> str:
    """The language of a page. `preferred`: a room's or poll's own language on a screen shown
    to the class (projector, embed): it comes after `?lang=` only."""
    return (
        offered_code(query, offered)
        or offered_code(preferred, offered)
        or offered_code(cookie, offered)
        or from_accept_language(accept_language, offered)
        or default
    )
