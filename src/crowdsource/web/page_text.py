"""The words the page's scripts show (countdown, copy button, connection notice, counters),
in the page's language: base.html hands them over as JSON in `#page-text`, and
static/js/page_text.js fills their `%(name)s` slots and picks plural forms with the browser's
`Intl.PluralRules`, so no script carries English of its own."""

from __future__ import annotations

from functools import cache

from babel import Locale

from crowdsource.i18n.current import _, current_language, ngettext
from crowdsource.i18n.languages import language

# A number of each CLDR plural category, to ask the catalogue for that category's form.
_SAMPLES = range(0, 200)


def _plural_forms(singular: str, plural: str) -> dict[str, str]:
    """The message's form for each plural category of the current language."""
    return dict(_plural_forms_in(current_language(), singular, plural))


@cache  # a few messages in a few languages; asking 200 numbers cost ~0.8 ms on every page
def _plural_forms_in(code: str, singular: str, plural: str) -> tuple[tuple[str, str], ...]:
    rule = Locale.parse(language(code).locale).plural_form
    forms: dict[str, str] = {}
    for number in _SAMPLES:
        category = rule(number)
        if category not in forms:
            forms[category] = ngettext(singular, plural, number)  # said in `code`: current
    return tuple(forms.items())


def page_text() -> dict[str, object]:
    return {
        "reconnecting": _("Reconnecting… the results shown may be behind."),
        "stopped": _("Live updates stopped. Reload the page to see the latest results."),
        "sending": _("Sending…"),
        "failed": _("That did not work. Reload the page and try again."),
        "your_question": _("Your question"),
        "response": _("Response %(number)s"),
        "too_many": _("%(over)s too many: %(length)s of %(max)s"),
        "count": _("%(length)s of %(max)s"),
        "copied": _("Copied ✓"),
        "time_zone_hint": _("Your local time (%(zone)s). Leave empty to close it yourself."),
        "closing": _("closing…"),
        "days_left": _plural_forms("%(count)s day left", "%(count)s days left"),
        "time_left": _("%(time)s left"),
    }
