"""Cleaning of text that people type: one place decides what is stored."""

from __future__ import annotations

import unicodedata

# Bidirectional overrides can make a response read differently from what is stored.
_INVISIBLE_FORMAT = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def clean_line(value: object) -> str:
    """One line of user text: NFC, control and bidi-override characters removed,
    runs of white space folded to one space, ends trimmed."""
    if not isinstance(value, str):
        return ""
    normalised = unicodedata.normalize("NFC", value)
    kept = "".join(
        " " if char.isspace() else char
        for char in normalised
        if char.isspace()
        or (unicodedata.category(char) not in {"Cc", "Cs"} and char not in _INVISIBLE_FORMAT)
    )
    return " ".join(kept.split())
