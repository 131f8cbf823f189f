"""The owner's controls on a poll's page, as the tests use them over HTTP: post a control's
form as the page would, read back what it stored, and record what it announced."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from starlette.testclient import TestClient

from crowdsource.domain.models import Poll
from tests.helpers.announcer import RecordingAnnouncer
from tests.helpers.client import csrf_of, run


@pytest.fixture(name="announced")
def announced_fixture(owner: TestClient, monkeypatch: pytest.MonkeyPatch) -> RecordingAnnouncer:
    """Every announcement (of the commands and of the scheduled close) on its way to the
    broker, which the app injected as their one announcer. Tests ask for `announced`; their
    module imports `announced_fixture`, so that the parameter does not shadow the import."""
    broker = owner.app.state.broker  # type: ignore[attr-defined]
    recorder = RecordingAnnouncer(then=broker.poll_changed)
    monkeypatch.setattr(broker, "poll_changed", recorder.poll_changed)
    monkeypatch.setattr(broker, "votes_changed", recorder.votes_changed)  # a vote's
    return recorder


def stored(client: TestClient, slug: str) -> Poll | None:
    return run(client, Poll.get_or_none, slug=slug)


def post(client: TestClient, slug: str, action: str, **data: Any) -> Any:
    """Post an owner form as the page would: with the CSRF token of this client's page."""
    token = csrf_of(client.get("/").text)
    return client.post(
        f"/polls/{slug}/{action}", data={"csrf_token": token, **data}, follow_redirects=False
    )


def iso_in(seconds: float) -> str:
    return (datetime.now(UTC) + timedelta(seconds=seconds)).isoformat().replace("+00:00", "Z")


def close_now(client: TestClient, slug: str) -> None:
    assert post(client, slug, "close").status_code == 303
