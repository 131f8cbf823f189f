"""Counting the SQL statements a piece of code sends (Tortoise logs each at DEBUG)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

DB_CLIENT_LOG = logging.getLogger("tortoise.db_client")


class _Statements(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.sql: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.sql.append(record.getMessage())


@contextmanager
def statements() -> Iterator[list[str]]:
    """Every statement sent inside the block, in order (with its values)."""
    handler, level = _Statements(), DB_CLIENT_LOG.level
    DB_CLIENT_LOG.addHandler(handler)
    DB_CLIENT_LOG.setLevel(logging.DEBUG)
    try:
        yield handler.sql
    finally:
        DB_CLIENT_LOG.removeHandler(handler)
        DB_CLIENT_LOG.setLevel(level)
