"""Which language a visitor gets (DESIGN §2, Languages): `?lang=`, else the cookie, else
Accept-Language, else the default; a class screen's own language comes after `?lang=` only."""

from __future__ import annotations

import pytest

from crowdsource.i18n.languages import SHIPPED, canonical
from crowdsource.i18n.negotiation import choose, from_accept_language

ALL = tuple(SHIPPED)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("fr-CA,fr;q=0.9,en;q=0.8", "fr"),
        ("pt-BR", "pt-BR"),
        ("pt", "pt-BR"),  # the language without its region matches the shipped variant
        ("pt-PT,pt;q=0.9", "pt-BR"),
        ("de;q=0.2, ar;q=0.9", "ar"),  # q-values, not the order
        ("ja, es;q=0.5", "es"),  # the first one offered
        ("ja, ko", None),
        ("*", None),
        ("en;q=0, de", "de"),  # q=0 means "not this one"
        ("es;q=abc, fr", "fr"),  # a broken q-value counts as 0
        ("", None),
    ],
)
def test_accept_language_picks_the_most_wanted_offered_language(
    header: str, expected: str | None
) -> None:
    assert from_accept_language(header, ALL) == expected


def test_the_order_is_query_then_cookie_then_header_then_default() -> None:
    assert choose("de", "fr", "es", ALL, "en") == "de"
    assert choose(None, "fr", "es", ALL, "en") == "fr"
    assert choose(None, None, "es", ALL, "en") == "es"
    assert choose(None, None, "", ALL, "en") == "en"
    assert choose("xx", "nope", "ja", ALL, "fr") == "fr"  # nothing usable: the default


def test_a_language_not_offered_is_skipped_whatever_asks_for_it() -> None:
    offered = ("en", "ar")
    assert choose("de", "es", "fr, ar;q=0.1", offered, "en") == "ar"


def test_a_class_screen_prefers_its_own_language_over_cookie_and_browser() -> None:
    assert choose(None, "en", "en", ALL, "en", preferred="pt-BR") == "pt-BR"
    assert choose("fr", "en", "en", ALL, "en", preferred="pt-BR") == "fr"  # ?lang= still wins
    assert choose(None, "de", "en", ALL, "en", preferred="") == "de"


@pytest.mark.parametrize(
    ("raw", "code"),
    [("pt_br", "pt-BR"), ("PT-BR", "pt-BR"), (" AR ", "ar"), ("en", "en"), ("pt", None)],
)
def test_codes_are_read_in_any_case_and_with_either_separator(raw: str, code: str | None) -> None:
    assert canonical(raw) == code
