"""Deterministic initials avatars drawn as SVG: no network, same picture for the same person."""

from __future__ import annotations

import hashlib
from html import escape

# Background colours dark enough for white text at 4.5:1 or better.
PALETTE = (
    "#1d4ed8",
    "#7c3aed",
    "#be123c",
    "#0f766e",
    "#b45309",
    "#4d7c0f",
    "#0e7490",
    "#9d174d",
    "#4338ca",
    "#15803d",
)


def initials(name: str) -> str:
    words = [word for word in name.split() if word[:1].isalnum()]
    if not words:
        return "?"
    letters = words[0][0] + (words[-1][0] if len(words) > 1 else "")
    return letters.upper()


def initials_svg(seed: str, name: str) -> str:
    digest = hashlib.sha256(seed.encode()).digest()
    colour = PALETTE[digest[0] % len(PALETTE)]
    text = escape(initials(name))
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" width="64" height="64" '
        f'role="img" aria-label="{escape(name)}">'
        f'<rect width="64" height="64" rx="32" fill="{colour}"/>'
        '<text x="32" y="32" dy=".35em" text-anchor="middle" fill="#fff" '
        'font-family="system-ui, sans-serif" font-size="26" font-weight="600">'
        f"{text}</text></svg>"
    )
