"""Messages marked where they are made and said in the language of the render."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from crowdsource.i18n import formats
from crowdsource.i18n.current import Text, _, ngettext, ntext, speaking, translated
from crowdsource.i18n.languages import SHIPPED


def test_a_text_reads_as_english_and_is_translated_when_rendered() -> None:
    skip = Text("Skip to content")
    assert skip == "Skip to content" and isinstance(skip, str)
    with speaking("fr"):
        assert translated(skip) != "Skip to content"
        assert translated(skip) == _("Skip to content")
    assert translated(skip) == "Skip to content"  # back to English outside


def test_parameters_fill_the_translated_pattern_and_texts_inside_are_translated() -> None:
    inner = Text("Pick one")
    message = Text("Pick %(least)s to %(count)s.", least=inner, count=3)
    assert message == "Pick Pick one to 3."
    with speaking("de"):
        german = _("Pick %(least)s to %(count)s.") % {"least": _("Pick one"), "count": 3}
        assert translated(message) == german != "Pick Pick one to 3."


@pytest.mark.parametrize(("count", "english"), [(1, "1 vote"), (0, "0 votes"), (7, "7 votes")])
def test_plurals_follow_the_count(count: int, english: str) -> None:
    assert ntext("%(count)s vote", "%(count)s votes", count) == english


@pytest.mark.parametrize(
    ("count", "form"),
    # Arabic's six forms: zero, one, two, few (3-10), many (11-99), other (100-102...)
    [(0, 0), (1, 1), (2, 2), (3, 3), (10, 3), (11, 4), (99, 4), (100, 5), (102, 5)],
)
def test_arabic_has_six_plural_forms(count: int, form: int) -> None:
    from crowdsource.i18n.catalogs import translations

    catalogue = translations("ar")
    plural = catalogue.plural  # type: ignore[attr-defined]
    assert plural(count) == form
    with speaking("ar"):
        said = ngettext("%(count)s vote", "%(count)s votes", count)
    assert said not in ("%(count)s vote", "%(count)s votes")  # each form is in the catalogue


def test_numbers_percentages_and_times_follow_the_language() -> None:
    moment = datetime(2026, 12, 3, 17, 5, tzinfo=UTC)
    with speaking("fr"):
        assert formats.number(1234.5, 1) == "1\u202f234,5"
        assert formats.percent(0.43) == "43\u00a0%"
        assert formats.date_time(moment, "Europe/Paris") == "3 déc. 2026, 18:05"
    with speaking("de"):
        assert formats.date_time(moment) == "03.12.2026, 17:05 UTC"
    with speaking("en"):
        assert formats.date_time(moment, "America/New_York") == "Dec 3, 2026, 12:05\u202fPM"
    with speaking("ar"):
        assert formats.percent(0.43).replace("\u200e", "") == "43%"  # Latin digits on a projector


def test_every_shipped_language_has_a_catalogue_and_a_direction() -> None:
    for code, language in SHIPPED.items():
        assert language.direction == ("rtl" if code == "ar" else "ltr")
