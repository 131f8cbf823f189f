"""The layers hold (DESIGN.md §4): dependencies point one way, modules stay small, markup
stays in templates, and only the domain's announcer announces (any kind of news)."""

from __future__ import annotations

import ast

import pytest

from tests.helpers.imports import SRC, Module, cycles, import_graph, source_modules

MAX_LINES = 300
DOMAIN_MUST_NOT_IMPORT = (
    "starlette",
    "jinja2",
    "crowdsource.web",
    "crowdsource.realtime",
    "crowdsource.auth",
)
REALTIME_MUST_NOT_IMPORT = ("jinja2", "crowdsource.web")
ANNOUNCER = "crowdsource.domain.announcer"
# Announcers that delegate: web/tally_cache.py's ForgettingAnnouncer forgets a poll's cached
# tally, then hands the command's news to the broker. It never announces on its own.
DELEGATING_ANNOUNCERS = ("crowdsource.web.tally_cache",)
# What the commands announce after commit: poll news (or only its ballots), room and sessions news.
ANNOUNCEMENTS = ("poll_changed", "votes_changed", "room_changed", "sessions_ended")
# Changes stored without an announcement: only the domain's commands may call these.
DOMAIN_ONLY = ("crowdsource.domain.poll_store", "crowdsource.domain.room_store")

MODULES = source_modules()


def modules_under(prefix: str) -> list[str]:
    return [name for name in MODULES if name == prefix or name.startswith(prefix + ".")]


def forbidden_imports(module: Module, prefixes: tuple[str, ...]) -> list[str]:
    return sorted(
        imported
        for imported in module.imports()
        if any(imported == prefix or imported.startswith(prefix + ".") for prefix in prefixes)
    )


@pytest.mark.parametrize("name", modules_under("crowdsource.domain"))
def test_the_domain_imports_no_web_framework_and_no_upper_layer(name: str) -> None:
    assert forbidden_imports(MODULES[name], DOMAIN_MUST_NOT_IMPORT) == []


@pytest.mark.parametrize("name", modules_under("crowdsource.realtime"))
def test_realtime_imports_neither_the_web_layer_nor_jinja(name: str) -> None:
    assert forbidden_imports(MODULES[name], REALTIME_MUST_NOT_IMPORT) == []


@pytest.mark.parametrize("name", list(MODULES))
def test_every_module_is_below_the_size_limit(name: str) -> None:
    assert MODULES[name].line_count() < MAX_LINES


@pytest.mark.parametrize("name", list(MODULES))
def test_no_python_module_writes_out_of_band_swaps(name: str) -> None:
    """Markup, deltas included, lives in templates."""
    assert "hx-swap-oob" not in MODULES[name].path.read_text()


@pytest.mark.parametrize("announcement", ANNOUNCEMENTS)
def test_only_the_domains_announcer_announces(announcement: str) -> None:
    callers = {name: module.calls_of(announcement) for name, module in MODULES.items()}
    announcers = (ANNOUNCER, *DELEGATING_ANNOUNCERS)
    assert {
        name: lines for name, lines in callers.items() if lines and name not in announcers
    } == {}
    assert callers[ANNOUNCER], "the announcer itself announces"


def test_stored_changes_are_reached_only_through_the_commands() -> None:
    """Outside the domain, a change goes through PollCommands, which announces it."""
    outside = [name for name in MODULES if name not in modules_under("crowdsource.domain")]
    assert {name: forbidden_imports(MODULES[name], DOMAIN_ONLY) for name in outside} == {
        name: [] for name in outside
    }


def test_the_domain_has_no_import_cycle() -> None:
    domain = set(modules_under("crowdsource.domain"))
    graph = {name: targets & domain for name, targets in import_graph().items() if name in domain}
    assert cycles(graph) == []


def test_no_import_cycle_anywhere() -> None:
    """Function-level imports count: they run too, only later."""
    assert cycles(import_graph()) == []


def test_the_cycle_finder_finds_cycles() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}
    assert cycles(graph) == [["a", "b", "c"]]


def test_the_import_reader_sees_function_level_imports_and_skips_type_checking_ones() -> None:
    source = """
from typing import TYPE_CHECKING
from . import sibling
if TYPE_CHECKING:
    from crowdsource.web import only_for_types
else:
    import crowdsource.realtime.hub
def later():
    from ..domain.polls import PollCommands
    announcer.poll_changed(1)
"""
    module = Module(
        "crowdsource.web.example", SRC / "crowdsource/web/example.py", ast.parse(source)
    )
    imports = module.imports()
    assert {"crowdsource.web.sibling", "crowdsource.realtime.hub"} <= imports
    assert "crowdsource.domain.polls" in imports and "crowdsource.web.only_for_types" not in imports
    assert module.calls_of("poll_changed") == [10]
