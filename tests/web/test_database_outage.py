"""PostgreSQL going away while the app runs: a clear 503, nothing stored, recovery by itself."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient
from tortoise.backends.base.executor import EXECUTOR_CACHE

from crowdsource.app import create_app
from tests.helpers.client import create_poll, csrf_of, make_settings, sign_in_guest, vote
from tests.helpers.services import PostgresServer

pytestmark = pytest.mark.postgres

RECOVERY_ATTEMPTS = 20  # bounded: the first request after a restart may meet a stale socket


@pytest.fixture
def own_postgres(postgres_binaries: None) -> Iterator[PostgresServer]:
    """A cluster of this test's own, free to be stopped and started again (the models' SQL
    an earlier test cached for SQLite forgotten, as `database_url` does)."""
    EXECUTOR_CACHE.clear()
    server = PostgresServer().start()
    server.sql("CREATE DATABASE app")
    yield server
    server.stop()


def recovers(client: TestClient, path: str) -> bool:
    """Requests until one answers 200; until then every answer is a 503, never a crash."""
    for _ in range(RECOVERY_ATTEMPTS):
        status = client.get(path).status_code
        if status == 200:
            return True
        assert status == 503, f"{path} answered {status} while the database came back"
    return False


def test_pages_say_503_while_postgres_is_down_and_recover_when_it_returns(
    own_postgres: PostgresServer, tmp_path: Path
) -> None:
    settings = make_settings(tmp_path, database_url=own_postgres.url("app"))
    with TestClient(create_app(settings), base_url="http://testserver") as client:
        sign_in_guest(client)
        slug = create_poll(client)
        page = client.get(f"/polls/{slug}").text
        choice = page.split('data-choice-id="', 1)[1].split('"', 1)[0]

        own_postgres.halt()
        signed_in = client.get(f"/polls/{slug}")  # the cookie check itself needs the database
        assert signed_in.status_code == 503
        assert "Back in a moment" in signed_in.text
        assert signed_in.headers["retry-after"] == "5"
        assert "'unsafe-inline'" not in signed_in.headers["content-security-policy"]
        assert '<meta http-equiv="refresh"' in signed_in.text

        refused = client.post(
            f"/polls/{slug}/votes",
            data={"choice": choice, "csrf_token": csrf_of(page)},
            follow_redirects=False,
        )
        assert refused.status_code == 503 and "nothing was changed" in refused.text
        assert '<meta http-equiv="refresh"' not in refused.text  # never re-send a form

        client.cookies.clear()
        anonymous = client.get(f"/polls/{slug}/results.json")
        assert anonymous.status_code == 503
        assert anonymous.json() == {"error": "database unavailable"}
        assert client.get("/healthz").status_code == 503

        own_postgres.start()
        assert recovers(client, f"/polls/{slug}")
        assert client.get(f"/polls/{slug}/results.json").json()["total_votes"] == 0
        sign_in_guest(client, "Back Again")
        assert vote(client, slug, choice).status_code == 303
        assert client.get(f"/polls/{slug}/results.json").json()["total_votes"] == 1
