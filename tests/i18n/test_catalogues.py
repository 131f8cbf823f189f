"""Every shipped catalogue translates every marked message (extracted from the sources now,
as `pybabel extract` would), none fuzzy, with the same placeholders and the same markup."""

from __future__ import annotations

import re
from functools import cache

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po

from crowdsource.i18n.catalogs import catalogue_path, compile_po
from crowdsource.i18n.extraction import extracted
from crowdsource.i18n.languages import SHIPPED, SOURCE, language

TRANSLATED = [code for code in SHIPPED if code != SOURCE]
TAG = re.compile(r"</?([a-z][a-z0-9]*)\b[^>]*>")
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|\{\{\s*(\w+)\s*\}\}|%\w")


@cache
def sources() -> Catalog:
    return extracted()


@cache
def catalogue(code: str) -> Catalog:
    with catalogue_path(code).open("rb") as source:
        return read_po(source, locale=language(code).locale)


def forms(message: Message) -> list[str]:
    return list(message.string) if isinstance(message.string, tuple) else [message.string]


def ids(message: Message) -> list[str]:
    return list(message.id) if isinstance(message.id, tuple) else [message.id]


def test_the_sources_mark_messages() -> None:
    assert len([m for m in sources() if m.id]) > 300


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_marked_message_is_translated_and_none_is_fuzzy(code: str) -> None:
    shipped = catalogue(code)
    missing, fuzzy = [], []
    for message in sources():
        if not message.id:
            continue
        found = shipped.get(message.id)
        if found is None or not all(form.strip() for form in forms(found)):
            missing.append(ids(message)[0])
        elif found.fuzzy:
            fuzzy.append(ids(message)[0])
    assert missing == [] and fuzzy == []


@pytest.mark.parametrize("code", TRANSLATED)
def test_translations_keep_the_placeholders_and_the_markup(code: str) -> None:
    shipped = catalogue(code)
    wrong = []
    for message in sources():
        found = shipped.get(message.id) if message.id else None
        if found is None:
            continue
        wanted_tags = sorted(TAG.findall(ids(message)[0]))
        wanted_slots = {slot for match in PLACEHOLDER.findall(ids(message)[-1]) for slot in match}
        for form in forms(found):
            slots = {slot for match in PLACEHOLDER.findall(form) for slot in match}
            # A singular form may leave the count out ("un vote"); no form may invent a slot.
            if sorted(TAG.findall(form)) != wanted_tags or not slots <= wanted_slots:
                wrong.append((ids(message)[0], form))
    assert wrong == []


@pytest.mark.parametrize("code", TRANSLATED)
def test_each_catalogue_compiles_with_its_plural_forms(code: str) -> None:
    assert compile_po(catalogue_path(code))
    expected = {"ar": 6, "fr": 3, "es": 3, "pt-BR": 3, "de": 2}[code]
    assert catalogue(code).num_plurals == expected
