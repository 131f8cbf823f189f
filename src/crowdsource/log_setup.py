"""How a running server's log looks: uvicorn's messages in the format of the access lines
(written by web/middleware/access_log.py), and none of the start-up chatter that
`crowdsource serve` already says.

    21:04:05 GET /polls/Xk3vR9aQ 200 3.1ms
    21:04:05 WS /polls/Xk3vR9aQ/ws open
    21:04:09 WS /polls/Xk3vR9aQ/ws closed 1001 after 4.2s
    21:04:11 WARNING Redis is unreachable …
"""

from __future__ import annotations

import logging
from typing import Any

TRACE = 5  # uvicorn's level below DEBUG
# What uvicorn's WebSocket protocol and the websockets library say of each socket
# (web/socket_protocol.py): above debug, their INFO lines are all CHATTER, and a record made
# only to be dropped cost a socket's join about 18 µs. Warnings and errors pass on to
# "uvicorn.error".
SOCKETS_LOGGER = "uvicorn.error.sockets"
# uvicorn's INFO lines that repeat what `crowdsource serve` prints itself (the address, the
# stop), or that AccessLog says in its own words (the WebSocket handshake).
CHATTER = (
    "Started server process",
    "Waiting for application startup.",
    "Application startup complete.",
    "Uvicorn running on",
    "Shutting down",
    "Waiting for application shutdown.",
    "Application shutdown complete.",
    "Finished server process",
    "Started parent process",
    "Stopping parent process",
    "Waiting for child process",
    "Terminated child process",
    "Received SIGINT",
    "Received SIGTERM",
    '%s - "WebSocket %s"',
    "connection open",  # the websockets library, through uvicorn's logger
    "connection rejected",
    "connection closed",
)


class LineFormatter(logging.Formatter):
    """`HH:MM:SS message`; warnings and errors name their level."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelprefix)s%(message)s", datefmt="%H:%M:%S")

    def format(self, record: logging.LogRecord) -> str:
        record.levelprefix = f"{record.levelname} " if record.levelno >= logging.WARNING else ""
        return super().format(record)


class HideChatter(logging.Filter):
    """Drop uvicorn's INFO lines listed in CHATTER; warnings and errors always pass."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno > logging.INFO or not str(record.msg).startswith(CHATTER)


def level_number(level: str) -> int:
    return TRACE if level == "trace" else logging.getLevelNamesMapping()[level.upper()]


def log_config(level: str) -> dict[str, Any]:
    """uvicorn's `log_config` for LOG_LEVEL `level`: everything on stderr in one format;
    at debug and trace nothing is hidden."""
    quiet = level_number(level) > logging.DEBUG
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"line": {"()": LineFormatter}},
        "filters": {"chatter": {"()": HideChatter}},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stderr",
                "formatter": "line",
                "filters": ["chatter"] if quiet else [],
            }
        },
        "loggers": {
            **{
                name: {"handlers": ["console"], "level": level_number(level), "propagate": False}
                for name in ("uvicorn", "crowdsource")
            },
            SOCKETS_LOGGER: {"level": logging.WARNING if quiet else level_number(level)},
        },
        "root": {"handlers": ["console"], "level": "WARNING"},
    }
