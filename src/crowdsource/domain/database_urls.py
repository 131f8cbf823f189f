"""What a DATABASE_URL names: which engine, and for SQLite which file. Read by the database
set-up (`db`) and the migration lock alike, so the URL is parsed in one place."""

from __future__ import annotations

from pathlib import Path

POSTGRES_SCHEMES = ("postgres", "postgresql", "asyncpg", "psycopg")


def sqlite_file(url: str) -> Path | None:
    """The SQLite database file (None for other databases and `:memory:`)."""
    if not url.startswith("sqlite://") or ":memory:" in url:
        return None
    return Path(url.removeprefix("sqlite://").split("?", 1)[0])
