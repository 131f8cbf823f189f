"""The shipped languages, their names in their own tongue, and which ones read right to left."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Language:
    code: str  # the contract's code: `?lang=`, the cookie, `<html lang>`
    name: str  # in its own language, for the switcher
    locale: str  # Babel's and gettext's name for it
    rtl: bool = False

    @property
    def direction(self) -> str:
        return "rtl" if self.rtl else "ltr"


SHIPPED: dict[str, Language] = {
    language.code: language
    for language in (
        Language("en", "English", "en"),
        Language("es", "Español", "es"),
        Language("fr", "Français", "fr"),
        Language("de", "Deutsch", "de"),
        Language("pt-BR", "Português (Brasil)", "pt_BR"),
        Language("ar", "العربية", "ar", rtl=True),
    )
}
SOURCE = "en"  # the language of the msgids: it needs no catalogue


def canonical(code: str) -> str | None:
    """The shipped code for `code` in any case and with `_` or `-` (`PT_br` → `pt-BR`)."""
    wanted = code.strip().replace("_", "-").lower()
    for shipped in SHIPPED:
        if shipped.lower() == wanted:
            return shipped
    return None


def language(code: str) -> Language:
    return SHIPPED.get(code) or SHIPPED[SOURCE]
