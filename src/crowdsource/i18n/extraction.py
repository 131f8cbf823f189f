"""Every message marked for translation, read from the sources as `pybabel extract` would:
the tests compare the catalogues with it, and `scripts/messages` writes the template from it."""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir

from crowdsource.i18n.catalogs import PACKAGE_DIR

ROOT = PACKAGE_DIR.parent.parent  # the checkout
# The markers: `_`/`gettext`/`ngettext` translate at once; `Text`/`ntext` when rendered.
KEYWORDS = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "Text": None,
    "ntext": (1, 2),
    "_plural_forms": (1, 2),  # web/page_text.py: a plural the page's scripts choose among
}
METHODS = {
    "src": [("**.py", "python")],
    "templates": [("**.html", "jinja2")],
}
OPTIONS = {"**.html": {"extensions": "jinja2.ext.i18n", "trimmed": "true"}}


def extracted() -> Catalog:
    """The messages of the checkout's Python code and templates, with where each is used."""
    catalog = Catalog(project="Crowdsource", charset="utf-8", fuzzy=False)
    for folder, method_map in METHODS.items():
        for filename, lineno, message, comments, context in extract_from_dir(
            ROOT / folder,
            method_map,
            OPTIONS,
            KEYWORDS,
            comment_tags=("Translators:",),
            strip_comment_tags=True,
        ):
            where = (str(Path(folder) / filename), lineno)
            catalog.add(message, None, [where], auto_comments=comments, context=context)
    return catalog
