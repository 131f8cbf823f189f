"""Every word a person reads in a template is marked for translation: the literal text left
outside `{% trans %}` blocks and `{{ }}` expressions, and the readable attributes, must hold no
words (brand and format names excepted). Fails naming the template and the text."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from jinja2 import Environment

from crowdsource.web.templating import TEMPLATES_DIR

# Names that read the same in every language.
UNTRANSLATED = {"Crowdsource", "GitHub", "CSV", "JSON", "QR", "OpenID", "Connect", "PNG", "SVG"}
READABLE_ATTRIBUTES = {"alt", "title", "placeholder", "aria-label", "aria-description", "label"}
BUTTON_INPUTS = {"submit", "button", "reset"}
WORD = re.compile(r"[^\W\d_]{2,}")
TEMPLATES = sorted(path.relative_to(TEMPLATES_DIR) for path in TEMPLATES_DIR.rglob("*.html"))


def literal_text(source: str) -> str:
    """The template's literal markup, with each expression, tag and `{% trans %}` block
    replaced by `§` (no word): what a page shows whatever the values."""
    env = Environment(extensions=["jinja2.ext.i18n"])
    kept: list[str] = []
    in_trans = False
    expect_name = False
    class_blocks = 0  # inside `{% block body_class %}`: class names, not text
    previous = ""
    for _lineno, kind, value in env.lex(source):
        if kind == "whitespace":
            continue
        if kind == "block_begin":
            expect_name = True
            continue
        if previous == "block" and kind == "name" and value.endswith("_class"):
            class_blocks += 1
        if expect_name and kind == "name":
            in_trans = (value == "trans") or (in_trans and value != "endtrans")
            if value == "endblock" and class_blocks:
                class_blocks -= 1
            expect_name = False
            previous = value
            continue
        expect_name = False
        previous = value if kind == "name" else ""
        if kind == "data" and not in_trans and not class_blocks:
            kept.append(value)
        elif not kept or kept[-1] != "§":
            kept.append("§")
    return "".join(kept)


class WordFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        values = dict(attrs)
        for name, value in attrs:
            readable = name in READABLE_ATTRIBUTES or (
                name == "value" and tag == "input" and values.get("type") in BUTTON_INPUTS
            )
            if readable and value:
                self._check(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self._check(data)

    def _check(self, text: str) -> None:
        words = [word for word in WORD.findall(text) if word not in UNTRANSLATED]
        if words:
            self.found.append(text.strip())


def unmarked(source: str) -> list[str]:
    finder = WordFinder()
    finder.feed(literal_text(source))
    finder.close()
    return finder.found


@pytest.mark.parametrize("template", TEMPLATES, ids=str)
def test_every_readable_word_is_marked(template: Path) -> None:
    source = (TEMPLATES_DIR / template).read_text()
    assert unmarked(source) == []


def test_the_checker_finds_words_and_spares_marked_ones() -> None:
    source = (
        '<p>Hello</p><button title="Copy link">{% trans %}Vote{% endtrans %}</button>'
        '<p>{{ _("Close") }} {{ count }} · Crowdsource</p><input type="submit" value="Go on">'
        '<input type="hidden" name="x" value="keep me">'
    )
    assert unmarked(source) == ["Hello", "Copy link", "Go on"]
