"""Database configuration and schema migrations (Tortoise's own migration engine)."""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from tortoise.context import TortoiseContext
from tortoise.migrations.api import migrate as run_migrations

MODELS_MODULE = "crowdsource.models"
MIGRATIONS_MODULE = "crowdsource.migrations"
POSTGRES_SCHEMES = ("postgres", "postgresql", "asyncpg", "psycopg")
# asyncpg refuses libpq's TLS query parameters; hosted Postgres URLs carry them.
LIBPQ_ONLY_PARAMS = frozenset({"sslmode", "sslrootcert", "sslcert", "sslkey", "channel_binding"})


def normalise_database_url(url: str) -> str:
    """Make a hosted PostgreSQL URL acceptable to asyncpg; leave others alone."""
    parts = urlsplit(url)
    if parts.scheme not in POSTGRES_SCHEMES:
        return url
    query = [(k, v) for k, v in parse_qsl(parts.query) if k not in LIBPQ_ONLY_PARAMS]
    scheme = "postgres" if parts.scheme == "postgresql" else parts.scheme
    return urlunsplit((scheme, parts.netloc, parts.path, urlencode(query), parts.fragment))


def ensure_sqlite_directory(url: str) -> None:
    """SQLite creates the file but not its folder: create the folder."""
    if url.startswith("sqlite://") and ":memory:" not in url:
        folder = os.path.dirname(url.removeprefix("sqlite://"))
        if folder:
            os.makedirs(folder, exist_ok=True)


def tortoise_config(database_url: str) -> dict[str, Any]:
    return {
        "connections": {"default": normalise_database_url(database_url)},
        "apps": {
            "models": {
                "models": [MODELS_MODULE],
                "default_connection": "default",
                "migrations": MIGRATIONS_MODULE,
            }
        },
        "use_tz": True,
        "timezone": "UTC",
    }


# `tortoise -c crowdsource.db.TORTOISE_ORM makemigrations` reads this (development only).
TORTOISE_ORM = tortoise_config(os.environ.get("DATABASE_URL", "sqlite://:memory:"))


async def migrate(database_url: str) -> None:
    """Apply every pending migration; a no-op on an up-to-date database."""
    ensure_sqlite_directory(database_url)
    config = tortoise_config(database_url)
    async with TortoiseContext() as ctx:
        await ctx.init(config=config)
        await run_migrations(config=config)
