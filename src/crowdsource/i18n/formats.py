"""Numbers, percentages and times in the current language (Babel), Latin digits throughout so
a projected figure reads the same in every room."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache

from babel import Locale, dates, numbers

from crowdsource.i18n.current import current_language, current_zone
from crowdsource.i18n.languages import language


def _locale() -> str:
    return language(current_language()).locale


def number(value: float | int, digits: int = 0) -> str:
    return _number(value, digits, _locale())


@lru_cache(maxsize=4096, typed=True)  # counts repeat: every update says each response's count again
def _number(value: float | int, digits: int, locale: str) -> str:
    pattern = None if digits == 0 else "#,##0." + "0" * digits
    return numbers.format_decimal(value, format=pattern, locale=locale, numbering_system="latn")


def percent(value: float) -> str:
    """`value` is a fraction: 0.43 → "43 %" in French, "43%" in English."""
    return _percent(value, _locale())


@lru_cache(maxsize=4096)  # a results update formats a percentage per response and surface
def _percent(value: float, locale: str) -> str:
    return numbers.format_percent(value, locale=locale, numbering_system="latn")


def date_time(value: datetime | str | None, zone: str | None = None) -> str:
    """A moment, to the minute, in `zone` (default: the viewer's, else UTC, then said):
    "Dec 3, 2026, 5:05 PM"; "3 déc. 2026, 17:05 UTC"."""
    if value is None:
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    zone = zone or current_zone()
    zoned = value.astimezone(dates.get_timezone(zone))
    locale = Locale.parse(_locale())
    day = dates.format_date(zoned, "medium", locale=locale)
    minute = dates.format_time(zoned, "short", locale=locale)
    text = str(locale.datetime_formats["medium"]).replace("{0}", minute).replace("{1}", day)
    return f"{text} UTC" if zone == "UTC" else text
