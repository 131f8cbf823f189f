"""Shared fixtures: one client builder with overrides, and helpers to act as a person."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import httpx2
import pytest
from starlette.testclient import TestClient
from tortoise.backends.base.executor import EXECUTOR_CACHE

from crowdsource.app import create_app
from crowdsource.auth.keys import ballot_key
from crowdsource.domain import secret_ballots
from crowdsource.settings import Settings
from tests.helpers.client import POSTGRES_TEMPLATE, TEST_SECRET, make_settings, sign_in_guest
from tests.helpers.live_server import LiveServer
from tests.helpers.multiprocess import PUBLIC_URL, Person, making_people, start_two
from tests.helpers.services import PostgresServer, RedisServer


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Browser tests last: Playwright's sync API keeps an event loop running in the main
    thread from its first use, which async domain tests cannot share."""
    items.sort(key=lambda item: "tests/browser/" in item.nodeid)


@pytest.fixture(scope="session", autouse=True)
def _ballot_key() -> None:
    """Domain tests store `nobody` ballots without an app: the key the app would give."""
    secret_ballots.use_key(ballot_key(TEST_SECRET))


@pytest.fixture
def settings_factory(tmp_path: Path, database_url: str) -> Callable[..., Settings]:
    """Settings for another app on the same database as `client_factory`'s (a restart)."""
    return lambda **overrides: make_settings(
        tmp_path, **{"database_url": database_url, **overrides}
    )


@pytest.fixture(scope="session")
def postgres_binaries() -> None:
    reason = PostgresServer.missing_reason()
    if reason:
        pytest.skip(reason)


@pytest.fixture(scope="session")
def postgres_server(postgres_binaries: None) -> Iterator[PostgresServer]:
    """One PostgreSQL cluster for the run, with a migrated template database to copy."""
    from crowdsource.domain.db import migrate

    server = PostgresServer().start()
    try:
        server.sql(f"CREATE DATABASE {POSTGRES_TEMPLATE}")
        asyncio.run(migrate(server.url(POSTGRES_TEMPLATE)))
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def redis_binary() -> None:
    reason = RedisServer.missing_reason()
    if reason:
        pytest.skip(reason)


@pytest.fixture(scope="session")
def redis_server(redis_binary: None) -> Iterator[RedisServer]:
    """One `redis-server` for the whole run (tests keep apart by channel name)."""
    server = RedisServer().start()
    yield server
    server.stop()


@pytest.fixture
def redis(redis_binary: None) -> Iterator[RedisServer]:
    """This test's own Redis, free to be killed and restarted on the same port."""
    server = RedisServer().start()
    yield server
    server.stop()


@pytest.fixture
def shared_database(postgres_server: PostgresServer) -> Iterator[str]:
    """A fresh, migrated PostgreSQL database for several processes (or for this one: its
    models' SQL cached for SQLite by an earlier test is forgotten, as `database_url` does)."""
    EXECUTOR_CACHE.clear()
    name = postgres_server.create_database(template=POSTGRES_TEMPLATE)
    yield postgres_server.url(name)
    postgres_server.drop_database(name)


@pytest.fixture
def pair(
    tmp_path: Path, shared_database: str, redis: RedisServer
) -> Iterator[tuple[LiveServer, LiveServer]]:
    """Processes A and B (`crowdsource serve`): one database, one Redis, one secret, one
    public URL; each re-reads end times every second (CLOSE_SWEEP_SECONDS) so a close armed
    elsewhere is seen soon."""
    yield from start_two(
        tmp_path,
        {
            "DATABASE_URL": shared_database,
            "REDIS_URL": redis.url(),
            "SECRET_KEY": TEST_SECRET,
            "PUBLIC_URL": PUBLIC_URL,
            "CLOSE_SWEEP_SECONDS": "1",
        },
    )


@pytest.fixture
async def people() -> AsyncIterator[Callable[[], Person]]:
    """Make people at browsers in front of `pair` (tests/helpers/multiprocess.py)."""
    async with making_people() as make:
        yield make


@pytest.fixture(
    params=[
        pytest.param("sqlite", id="sqlite"),
        pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
    ]
)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Every test that stores data runs on SQLite and on PostgreSQL (a fresh database each,
    copied from the migrated template)."""
    # Tortoise caches each model's INSERT/DELETE SQL per connection name ("default"), not per
    # dialect; one process never switches engines, but this test run does.
    EXECUTOR_CACHE.clear()
    if request.param == "sqlite":
        yield f"sqlite://{tmp_path / 'test.sqlite3'}"
        return
    server: PostgresServer = request.getfixturevalue("postgres_server")
    name = server.create_database(template=POSTGRES_TEMPLATE)
    yield server.url(name)
    server.drop_database(name)


@pytest.fixture
def client_factory(tmp_path: Path, database_url: str) -> Iterator[Callable[..., TestClient]]:
    """Build clients of one app; extra clients share its database (other people)."""
    opened: list[TestClient] = []
    apps: dict[str, Any] = {}

    def build(**overrides: Any) -> TestClient:
        if "app" not in apps:
            overrides.setdefault("database_url", database_url)
            apps["app"] = create_app(make_settings(tmp_path, **overrides))
            client = TestClient(apps["app"], base_url="http://testserver")
            client.__enter__()
        else:
            client = TestClient(apps["app"], base_url="http://testserver")
            client.portal = opened[0].portal  # share the running app and its event loop
            client.stream_send = opened[0].stream_send
            client.stream_receive = opened[0].stream_receive
            client.task = opened[0].task
        opened.append(client)
        return client

    yield build
    opened[0].__exit__(None, None, None)


@pytest.fixture
def app_client_factory(tmp_path: Path) -> Iterator[Callable[..., TestClient]]:
    """Clients of separately built apps (one database); `transport` stands in for the
    network of sign-in providers, `overrides` change the settings."""
    opened: list[TestClient] = []

    def build(transport: httpx2.AsyncBaseTransport | None = None, **overrides: Any) -> TestClient:
        app = create_app(make_settings(tmp_path, **overrides), http_transport=transport)
        opened.append(TestClient(app).__enter__())
        return opened[-1]

    yield build
    for client in opened:
        client.__exit__(None, None, None)


@pytest.fixture
def client(client_factory: Callable[..., TestClient]) -> TestClient:
    return client_factory()


@pytest.fixture
def owner(client_factory: Callable[..., TestClient]) -> TestClient:
    """A signed-in person who creates polls."""
    client = client_factory()
    sign_in_guest(client, "Alex Owner")
    return client


@pytest.fixture
def student(client_factory: Callable[..., TestClient], owner: TestClient) -> TestClient:
    """Another signed-in person, on the owner's app."""
    client = client_factory()
    sign_in_guest(client, "Sam Student")
    return client


@pytest.fixture
def stranger(client_factory: Callable[..., TestClient], owner: TestClient) -> TestClient:
    """Someone signed out, on the owner's app."""
    return client_factory()


@pytest.fixture
async def orm(database_url: str) -> Any:
    """A migrated database for domain tests, initialised the way the app does it."""
    from tortoise.context import TortoiseContext

    from crowdsource.domain.db import migrate, tortoise_config

    await migrate(database_url)
    async with TortoiseContext() as context:
        await context.init(config=tortoise_config(database_url))
        yield context


@pytest.fixture
def collector_off() -> Iterator[None]:
    """The garbage collector off for a test: an object that only a collection could free (one
    kept alive by a reference cycle) then stays alive, and a weak reference to it says so."""
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
