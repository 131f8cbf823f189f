"""The templates' gettext and ngettext (web/jinja_gettext.py) say exactly what Jinja's own
newstyle ones say: the same text, the same escaping, in every language, with autoescape
on and off; only faster."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import jinja2
import pytest
from markupsafe import Markup

from crowdsource.domain.avatar_budget import more_voters
from crowdsource.domain.tally import Tally
from crowdsource.domain.visibility import Audience
from crowdsource.i18n.current import Text, gettext, ngettext, speaking
from crowdsource.i18n.languages import SHIPPED
from crowdsource.web import jinja_gettext
from crowdsource.web.templating import _environment
from tests.helpers.tallies import tally

HOSTILE = "<script>alert(\"x\")</script> & 'quoted'"
VALUES: list[Any] = [
    HOSTILE,
    Markup("<strong>kept</strong>"),
    Text("Old hat"),
    3,
    2.5,
    0,
    None,
    True,
]
SNIPPETS = [
    "{{ _('Hello %(name)s', name=value) }}",
    "{{ _('Nothing to fill, 100%% sure') }}",
    "{% trans %}Response{% endtrans %}",
    "{% trans name=value %}Hello {{ name }}{% endtrans %}",
    "{% trans count=number %}{{ count }} vote{% pluralize %}{{ count }} votes{% endtrans %}",
    "{{ ngettext('%(label)s: %(num)d vote, %(pct)s%%', '%(label)s: %(num)d votes, %(pct)s%%',"
    " number, label=value, pct=43) }}",
    "{{ ngettext('+ %(count)s more', '+ %(count)s more', number, count=number) }}",
]


def jinjas_own(autoescape: bool) -> jinja2.Environment:
    env = jinja2.Environment(autoescape=autoescape, extensions=["jinja2.ext.i18n"])
    env.install_gettext_callables(gettext, ngettext, newstyle=True)  # type: ignore[attr-defined]
    return env


def ours(autoescape: bool) -> jinja2.Environment:
    env = jinjas_own(autoescape)
    env.globals.update(gettext=jinja_gettext.gettext, ngettext=jinja_gettext.ngettext)
    return env


@pytest.mark.parametrize("autoescape", [True, False])
@pytest.mark.parametrize("snippet", SNIPPETS)
def test_every_value_is_filled_and_escaped_as_jinja_does(snippet: str, autoescape: bool) -> None:
    reference, fast = jinjas_own(autoescape), ours(autoescape)
    for value in VALUES:
        for number in (1, 3):
            context = {"value": value, "number": number}
            expected = reference.from_string(snippet).render(context)
            assert fast.from_string(snippet).render(context) == expected
    if autoescape:  # the hostile name never reaches the page as markup
        rendered = fast.from_string(SNIPPETS[0]).render(value=HOSTILE)
        assert "<script>" not in rendered and "&lt;script&gt;" in rendered


def test_a_number_the_message_formats_goes_in_as_it_is() -> None:
    rendered = ours(True).from_string(SNIPPETS[5]).render(value="A", number=2)
    assert rendered == "A: 2 votes, 43%"


def results_tally(label: str) -> Tally:
    """Two responses, the first labelled `label`, with more voters than it shows."""
    made = tally((1, tuple(range(1, 71))), (2, (71,)))
    first = replace(made.choices[0], label=label)
    return replace(made, choices=(first, *made.choices[1:]))


@pytest.mark.parametrize("language", sorted(SHIPPED))
def test_pushed_results_read_the_same_in_every_language(language: str) -> None:
    """A results update's partials, rendered by the app's environment and by one with
    Jinja's own callables, are the same text in each shipped language."""
    reference = _environment()
    reference.install_gettext_callables(gettext, ngettext, newstyle=True)  # type: ignore[attr-defined]
    app = _environment()
    results = results_tally(HOSTILE)
    assert more_voters(results.choices[0], len(results.choices))  # its "+ N more" is said too
    renders: list[tuple[str, dict[str, Any]]] = [
        ("partials/total.html", {"tally": results, "oob": True}),
        ("partials/results_table.html", {"tally": results, "audience": Audience(True, True, True)}),
    ]
    for audience in (Audience(True, False), Audience(True, True, True)):
        for choice in results.choices:
            context = {"choice": choice, "tally": results, "audience": audience, "oob": True}
            renders.append(("partials/choice.html", context))
    with speaking(language):
        for name, context in renders:
            expected = reference.get_template(name).render(context)
            assert app.get_template(name).render(context) == expected
