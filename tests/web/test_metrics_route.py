"""GET /metrics: to loopback, or to the holder of METRICS_TOKEN; a 404 like any unknown path
for everyone else; successful scrapes stay out of the INFO access log."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from crowdsource.app import create_app
from tests.helpers.client import make_settings
from tests.helpers.metrics import TOKEN

LOOPBACK = ("127.0.0.1", 50000)
ELSEWHERE = ("203.0.113.9", 50000)


@pytest.fixture
def app(tmp_path: Path) -> Iterator[Any]:
    """One app (SQLite) shared by clients at different addresses."""
    app = create_app(make_settings(tmp_path, metrics_token=TOKEN))
    with TestClient(app):  # runs the lifespan once for every client below
        yield app


def get(app: Any, address: tuple[str, int], **headers: str | bytes) -> Any:
    return TestClient(app, client=address).get("/metrics", headers=headers)


def assert_refused(response: Any) -> None:
    """The same answer as a path that does not exist: nothing says the route is there."""
    assert response.status_code == 404
    assert "crowdsource_" not in response.text
    assert "Not found" in response.text


@pytest.mark.parametrize("host", ["127.0.0.1", "127.8.9.10", "::1", "::ffff:127.0.0.1"])
def test_loopback_gets_the_metrics_in_prometheus_text_format(app: Any, host: str) -> None:
    response = get(app, (host, 50000))
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain; version=0.0.4")
    assert response.headers["cache-control"] == "no-store"
    for name in (
        "crowdsource_sockets_open",
        "crowdsource_polls_watched",
        "crowdsource_votes_stored_total",
        "crowdsource_publish_lag_seconds_bucket",
        "crowdsource_fanout_seconds_bucket",
        "crowdsource_outbox_overflows_total",
        "crowdsource_broker_reconnects_total",
        'crowdsource_rate_limit_refusals_total{limiter="votes"}',
        'crowdsource_database_unavailable_total{transport="http"}',
        "process_resident_memory_bytes",
        'crowdsource_build_info{version="',
    ):
        assert name in response.text, name


def test_another_address_is_refused_like_an_unknown_path(app: Any) -> None:
    assert_refused(get(app, ELSEWHERE))
    unknown = TestClient(app, client=ELSEWHERE).get("/no-such-page")
    assert unknown.status_code == 404


def test_the_bearer_token_opens_it_from_anywhere(app: Any) -> None:
    response = get(app, ELSEWHERE, Authorization=f"Bearer {TOKEN}")
    assert response.status_code == 200 and "crowdsource_votes_stored_total" in response.text
    assert get(app, ELSEWHERE, Authorization=f"bearer  {TOKEN} ").status_code == 200


@pytest.mark.parametrize(
    "authorization",
    [
        f"Bearer {TOKEN}x",
        f"Bearer {TOKEN[:-1]}",
        "Bearer ",
        f"Basic {TOKEN}",
        TOKEN,
        "Bearer é".encode(),
    ],
)
def test_a_wrong_token_is_refused(app: Any, authorization: str | bytes) -> None:
    assert_refused(get(app, ELSEWHERE, Authorization=authorization))


def test_without_a_token_configured_no_bearer_opens_it(tmp_path: Path) -> None:
    app = create_app(make_settings(tmp_path))
    with TestClient(app):
        assert_refused(get(app, ELSEWHERE, Authorization="Bearer "))
        assert_refused(get(app, ELSEWHERE, Authorization="Bearer None"))
        assert get(app, LOOPBACK).status_code == 200


@pytest.mark.parametrize(
    "header",
    [
        {"X-Forwarded-For": "127.0.0.1"},
        {"Forwarded": "for=198.51.100.7"},
        {"X-Real-IP": "198.51.100.7"},
    ],
)
def test_a_request_a_proxy_on_this_machine_forwarded_is_not_local(
    app: Any, header: dict[str, str]
) -> None:
    assert_refused(get(app, LOOPBACK, **header))


def test_the_proxy_s_own_client_header_marks_a_forwarded_request(tmp_path: Path) -> None:
    app = create_app(make_settings(tmp_path, client_ip_header="fly-client-ip"))
    with TestClient(app):
        assert_refused(get(app, LOOPBACK, **{"Fly-Client-IP": "127.0.0.1"}))


def test_scrapes_are_not_logged_at_info_but_refusals_are(
    app: Any, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="crowdsource.access"):
        assert get(app, LOOPBACK).status_code == 200
        assert get(app, ELSEWHERE).status_code == 404
    lines = [record.getMessage() for record in caplog.records if record.name.endswith("access")]
    assert len(lines) == 1 and lines[0].startswith("GET /metrics 404")
    with caplog.at_level(logging.DEBUG, logger="crowdsource.access"):
        get(app, LOOPBACK)
    assert any(record.getMessage().startswith("GET /metrics 200") for record in caplog.records)
