"""Fixtures of the route tests that several modules share."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from starlette.testclient import TestClient

from tests.helpers.announcer import RecordingAnnouncer
from tests.helpers.client import owner_and_class, sign_in_guest


@pytest.fixture
def announced(owner: TestClient, monkeypatch: pytest.MonkeyPatch) -> RecordingAnnouncer:
    """Every announcement (of the commands and of the scheduled close) on its way to the
    broker, which the app injected as their one announcer."""
    broker = owner.app.state.broker  # type: ignore[attr-defined]
    recorder = RecordingAnnouncer(then=broker.poll_changed)
    monkeypatch.setattr(broker, "poll_changed", recorder.poll_changed)
    monkeypatch.setattr(broker, "votes_changed", recorder.votes_changed)  # a vote's
    return recorder


@pytest.fixture
def people(client_factory: Callable[..., TestClient]) -> dict[str, TestClient]:
    """An owner, two signed-in students (Ada, Bob) and a signed-out visitor, on one app (in
    place of tests/conftest.py's `people` of the multi-process tests)."""
    return owner_and_class(client_factory)


@pytest.fixture
def voters(client_factory: Callable[..., TestClient]) -> list[TestClient]:
    """Three signed-in students (Ada, Bob, Cy), none of them the owner."""
    people = [client_factory() for _ in range(3)]
    for person, name in zip(people, ("Ada", "Bob", "Cy"), strict=True):
        sign_in_guest(person, name)
    return people


@pytest.fixture
def quiet_uvicorn(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """uvicorn's protocols without its INFO lines of each connection; warnings still show."""
    with caplog.at_level("WARNING", logger="uvicorn.error"):
        yield
