"""Database configuration and schema migrations (Tortoise's own migration engine)."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import asyncpg
from tortoise.backends.base.config_generator import expand_db_url
from tortoise.context import TortoiseContext
from tortoise.exceptions import DBConnectionError
from tortoise.migrations.api import migrate as run_migrations

from crowdsource.domain.database_urls import POSTGRES_SCHEMES, sqlite_file
from crowdsource.domain.migration_lock import migration_lock
from crowdsource.domain.service_urls import unreachable

MODELS_MODULE = "crowdsource.domain.models"
# Rosters and participation (issue 17) have their own module of tables.
ROSTER_MODELS_MODULE = "crowdsource.domain.roster_models"
CONNECTION = "default"  # the one database connection name
SQLITE_ENGINE = "crowdsource.domain.sqlite_backend"
ASYNCPG_ENGINE = "tortoise.backends.asyncpg"
POSTGRES_ENGINE = "crowdsource.domain.postgres_backend"  # asyncpg's, many rows in one trip
MIGRATIONS_MODULE = "crowdsource.domain.migrations"
# asyncpg refuses libpq's TLS query parameters; hosted Postgres URLs carry them.
LIBPQ_ONLY_PARAMS = frozenset({"sslmode", "sslrootcert", "sslcert", "sslkey", "channel_binding"})
# asyncpg waits 60 s for a connection by default: too long for a page or a start-up check.
CONNECT_TIMEOUT = 10
# Errors that mean "the database is not there right now", not "this query is wrong".
OUTAGE_ERRORS: tuple[type[BaseException], ...] = (
    DBConnectionError,
    asyncpg.PostgresConnectionError,  # includes "connection does not exist / was closed"
    asyncpg.CannotConnectNowError,  # starting up or shutting down
    asyncpg.AdminShutdownError,
    asyncpg.CrashShutdownError,
    asyncpg.TooManyConnectionsError,
    ConnectionError,  # refused, reset, aborted, broken pipe
    TimeoutError,
)
DRIVER_MODULES = ("asyncpg", "tortoise")


def normalise_database_url(url: str) -> str:
    """Make a hosted PostgreSQL URL acceptable to asyncpg; leave others alone."""
    parts = urlsplit(url)
    if parts.scheme not in POSTGRES_SCHEMES:
        return url
    query = [(k, v) for k, v in parse_qsl(parts.query) if k not in LIBPQ_ONLY_PARAMS]
    scheme = "postgres" if parts.scheme == "postgresql" else parts.scheme
    return urlunsplit((scheme, parts.netloc, parts.path, urlencode(query), parts.fragment))


def with_connect_timeout(url: str) -> str:
    """Bound how long connecting to PostgreSQL may take, unless the URL says otherwise."""
    parts = urlsplit(url)
    if parts.scheme not in POSTGRES_SCHEMES:
        return url
    query = parse_qsl(parts.query)
    if any(key == "timeout" for key, _ in query):
        return url
    query.append(("timeout", str(CONNECT_TIMEOUT)))
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), parts.fragment))


def is_outage(error: BaseException) -> bool:
    """True when `error` says the database cannot be reached (as opposed to a bad query)."""
    if isinstance(error, OUTAGE_ERRORS):
        return True
    # asyncpg gives a plain OSError ("Multiple exceptions: …") when every address failed.
    return isinstance(error, OSError) and _raised_by_driver(error)


def _raised_by_driver(error: BaseException) -> bool:
    traceback = error.__traceback__
    while traceback is not None:
        module = traceback.tb_frame.f_globals.get("__name__", "")
        if module.split(".", 1)[0] in DRIVER_MODULES:
            return True
        traceback = traceback.tb_next
    return False


def sqlite_folder(url: str) -> Path | None:
    """The folder of a SQLite database file (None for other databases and `:memory:`)."""
    file = sqlite_file(url)
    return None if file is None else file.parent


def ensure_sqlite_directory(url: str) -> None:
    """SQLite creates the file but not its folder: create the folder, private (0700)."""
    folder = sqlite_folder(url)
    if folder is not None:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)


def with_sqlite_pragmas(url: str) -> str:
    """SQLite in WAL mode (Tortoise's default) with synchronous=NORMAL: a commit survives a
    crash or restart of the server, and costs a tenth of a full fsync (see
    docs/performance.md). A URL that names `synchronous` itself keeps its choice."""
    if not url.startswith("sqlite://") or ":memory:" in url or "synchronous=" in url:
        return url
    return url + ("&" if "?" in url else "?") + "synchronous=NORMAL"


async def keep_session(connection: asyncpg.Connection) -> None:
    """What asyncpg's pool does to a connection it takes back, besides rolling back a
    transaction left open (which it always does first): nothing.

    Its default sends one more statement (`pg_advisory_unlock_all(); CLOSE ALL; UNLISTEN *;
    RESET ALL`) and waits for the answer, so every read outside a transaction cost two trips
    to the database and every transaction (a vote's) one more after its COMMIT
    (`python -m bench.vote_cost --database-url …`). Crowdsource leaves nothing to undo on a
    pooled connection: no `SET` outside a transaction, no `LISTEN`, no cursor, no advisory
    lock (the migration lock has a connection of its own, `migration_lock.py`)."""


def connection_config(database_url: str) -> str | dict[str, Any]:
    """Tortoise's connection entry: the URL, or its expansion for SQLite with our engine
    (`sqlite_backend`: transactions wait for the write lock instead of failing) and for
    PostgreSQL with a pool that takes connections back without a trip (`keep_session`) and,
    with asyncpg, many rows written in one trip (`postgres_backend`)."""
    url = with_sqlite_pragmas(with_connect_timeout(normalise_database_url(database_url)))
    if url.startswith("sqlite://"):
        config = expand_db_url(url)
        config["engine"] = SQLITE_ENGINE
        return config
    if urlsplit(url).scheme in POSTGRES_SCHEMES:
        config = expand_db_url(url)
        config["credentials"]["reset"] = keep_session
        if config["engine"] == ASYNCPG_ENGINE:
            config["engine"] = POSTGRES_ENGINE
        return config
    return url


def tortoise_config(database_url: str) -> dict[str, Any]:
    return {
        "connections": {CONNECTION: connection_config(database_url)},
        "apps": {
            "models": {
                "models": [MODELS_MODULE, ROSTER_MODELS_MODULE],
                "default_connection": CONNECTION,
                "migrations": MIGRATIONS_MODULE,
            }
        },
        "use_tz": True,
        "timezone": "UTC",
    }


# `tortoise -c crowdsource.domain.db.TORTOISE_ORM makemigrations` reads this (development only).
TORTOISE_ORM = tortoise_config(os.environ.get("DATABASE_URL", "sqlite://:memory:"))


async def migrate(database_url: str) -> None:
    """Apply every pending migration; a no-op on an up-to-date database."""
    ensure_sqlite_directory(database_url)
    config = tortoise_config(database_url)
    async with migration_lock(normalise_database_url(database_url)), TortoiseContext() as ctx:
        await ctx.init(config=config)
        await run_migrations(config=config)


async def check_connection(database_url: str) -> None:
    """Raise `Unreachable` (one line, password masked) unless the database answers a query."""
    try:
        ensure_sqlite_directory(database_url)
        async with asyncio.timeout(CONNECT_TIMEOUT), TortoiseContext() as ctx:
            await ctx.init(config=tortoise_config(database_url))
            await ctx.db().execute_query("SELECT 1")
    except Exception as error:  # whatever the driver says, the URL cannot be used as it is
        raise unreachable("DATABASE_URL", database_url, error, CONNECT_TIMEOUT) from error
