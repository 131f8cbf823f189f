"""The templates' globals as one plain dict (web/jinja_environment.py): the same names and
values as Jinja's ChainMap gave, a template's own globals over the environment's."""

from __future__ import annotations

import jinja2

from crowdsource.web.jinja_environment import Environment
from crowdsource.web.templating import templates

MACROS = "{% macro shout(word) %}{{ word | upper }}{{ mark }}{% endmacro %}"
PAGE = "{% from 'macros.html' import shout %}{{ shout(greeting) }} {{ site }}"


def environment() -> Environment:
    env = Environment(loader=jinja2.DictLoader({"macros.html": MACROS, "page.html": PAGE}))
    env.globals.update(site="Crowdsource", mark="!", greeting="ignored")
    return env


def test_a_template_sees_every_global_of_its_environment_as_one_dict() -> None:
    template = templates.env.get_template("partials/total.html")
    assert type(template.globals) is dict
    assert template.globals.keys() >= templates.env.globals.keys()
    assert template.globals["url"] is templates.env.globals["url"]


def test_imported_macros_and_includes_see_the_globals() -> None:
    env = environment()
    assert env.get_template("page.html").render(greeting="hi") == "HI! Crowdsource"


def test_a_templates_own_globals_win_over_the_environments() -> None:
    env = environment()
    template = env.get_template("page.html", globals={"site": "Room 12"})
    assert template.render(greeting="hi") == "HI! Room 12"
    assert env.globals["site"] == "Crowdsource"  # the environment's own are untouched


def test_render_variables_win_over_globals() -> None:
    assert environment().get_template("page.html").render(site="here") == "IGNORED! here"
