"""The owner's controls on a poll's page, as the tests use them over HTTP: post a control's
form as the page would, and read back what it stored (what it announced: the `announced`
fixture, tests/web/conftest.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from starlette.testclient import TestClient

from crowdsource.domain.models import Poll
from tests.helpers.client import csrf_of, run


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
