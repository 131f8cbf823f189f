"""The message catalogues: `locales/<locale>/LC_MESSAGES/messages.po` in the repository,
compiled to `.mo` at install (hatch_build.py). A checkout whose `.po` is newer than its `.mo`
(or that has none) compiles it in memory, so an edited catalogue shows without reinstalling."""

from __future__ import annotations

import functools
import io
from gettext import NullTranslations
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

from crowdsource.i18n.languages import SOURCE, language

PACKAGE_DIR = Path(__file__).resolve().parent.parent
DOMAIN = "messages"


def locales_dir() -> Path:
    """`locales/` at the repository root in a checkout, inside the package when installed."""
    checkout = PACKAGE_DIR.parent.parent / "locales"
    return checkout if checkout.is_dir() else PACKAGE_DIR / "locales"


def catalogue_path(code: str) -> Path:
    return locales_dir() / language(code).locale / "LC_MESSAGES" / f"{DOMAIN}.po"


def compile_po(po_path: Path) -> bytes:
    """The `.mo` bytes of one catalogue (fuzzy entries left out, as gettext does)."""
    with po_path.open("rb") as source:
        catalog = read_po(source, locale=po_path.parent.parent.name)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    return compiled.getvalue()


@functools.cache
def translations(code: str) -> NullTranslations:
    """The catalogue of a shipped language (English: the msgids themselves)."""
    if code == SOURCE:
        return NullTranslations()
    po_path = catalogue_path(code)
    mo_path = po_path.with_suffix(".mo")
    if mo_path.is_file() and (
        not po_path.is_file() or mo_path.stat().st_mtime >= po_path.stat().st_mtime
    ):
        return Translations(io.BytesIO(mo_path.read_bytes()), domain=DOMAIN)
    if not po_path.is_file():
        return NullTranslations()
    return Translations(io.BytesIO(compile_po(po_path)), domain=DOMAIN)
