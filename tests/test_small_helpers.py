"""Text cleaning, avatars, CSV cells, database URLs."""

from __future__ import annotations

import pytest

from crowdsource.domain.db import normalise_database_url
from crowdsource.domain.text import clean_line
from crowdsource.web.avatars import initials, initials_svg
from crowdsource.web.export import neutralise
from crowdsource.web.urls import safe_next


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("  a  b ", "a b"),
        ("a\nb\tc", "a b c"),
        ("x\x00y\x7f", "xy"),
        ("e\u0301", "é"),
        ("\u202eevil", "evil"),
        (None, ""),
        (5, ""),
    ],
)
def test_clean_line(raw: object, clean: str) -> None:
    assert clean_line(raw) == clean


@pytest.mark.parametrize(
    ("name", "letters"),
    [("Grace Hopper", "GH"), ("ada", "A"), ("Jean Luc Picard", "JP"), ("!!!", "?")],
)
def test_initials(name: str, letters: str) -> None:
    assert initials(name) == letters


def test_avatar_svg_escapes_the_name() -> None:
    svg = initials_svg("seed", '<b>"x"</b>')
    assert "<b>" not in svg and "&lt;b&gt;" in svg


@pytest.mark.parametrize("cell", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_formula_cells_are_neutralised(cell: str) -> None:
    assert neutralise(cell) == "'" + cell


def test_plain_cells_are_untouched() -> None:
    assert neutralise("Old hat") == "Old hat"


def test_hosted_postgres_urls_lose_libpq_only_parameters() -> None:
    url = "postgresql://u:p@db.example:5432/app?sslmode=require&application_name=cs"
    assert normalise_database_url(url) == "postgres://u:p@db.example:5432/app?application_name=cs"
    assert normalise_database_url("sqlite://data/x.sqlite3") == "sqlite://data/x.sqlite3"


@pytest.mark.parametrize(
    ("raw", "safe"),
    [
        ("/polls/x?y=1", "/polls/x?y=1"),
        ("//evil", "/"),
        ("https://evil", "/"),
        ("/\\evil", "/"),
        ("", "/"),
        (None, "/"),
        ("/a\nb", "/"),
    ],
)
def test_safe_next(raw: object, safe: str) -> None:
    assert safe_next(raw) == safe
