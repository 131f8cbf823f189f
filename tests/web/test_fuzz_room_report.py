"""Fuzzing the room report's routes: whatever the query string or the code in the path, the
report, its CSV and My answers answer without failing and leak nothing to others."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote

import pytest
from hypothesis import given
from starlette.testclient import TestClient

from tests.helpers.client import sign_in_guest, vote
from tests.helpers.fuzzing import FUZZ, nasty_text
from tests.helpers.rooms import ask, create_room


@pytest.fixture
def room(client_factory: Callable[..., TestClient]) -> tuple[TestClient, TestClient, str]:
    """An owner with a room and an answered question, and a student who answered it."""
    owner, student = client_factory(), client_factory()
    sign_in_guest(owner, "Fuzz Owner")
    sign_in_guest(student, "Fuzz Student")
    code = create_room(owner)
    slug = ask(owner, code)
    ids = student.get(f"/polls/{slug}/results.json").json()["choices"]
    vote(student, slug, ids[0]["id"])
    return owner, student, code


@FUZZ
@given(sort=nasty_text)
def test_any_sort_is_answered_with_the_report(
    room: tuple[TestClient, TestClient, str], sort: str
) -> None:
    owner, _, code = room
    response = owner.get(f"/r/{code}/report", params={"sort": sort})
    assert response.status_code in {200, 414}  # 414: a query longer than any link
    if response.status_code == 200:
        assert 'data-student="guest~' in response.text


@FUZZ
@given(typed=nasty_text)
def test_any_code_in_the_path_is_refused_cleanly(
    room: tuple[TestClient, TestClient, str], typed: str
) -> None:
    _, student, _ = room
    for tail in ("report", "report.csv", "mine"):
        response = student.get(f"/r/{quote(typed, safe='')}/{tail}", follow_redirects=False)
        assert response.status_code in {200, 403, 404, 429}, (typed, tail)
        if response.status_code == 200:  # typed is this room's code, in another spelling
            assert tail == "mine"
