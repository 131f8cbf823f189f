"""Connecting to Redis: a client that fails fast (the broker decides what happens next), the
start-up check, and the backoff between reconnects."""

from __future__ import annotations

import socket

from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import RedisError

from crowdsource.domain.service_urls import unreachable

CONNECT_TIMEOUT = 2.0  # seconds; bounds the delay a vote can see while Redis is unreachable
MIN_BACKOFF = 0.1
MAX_BACKOFF = 5.0
# A silently vanished peer (no FIN, no RST) is noticed by TCP keepalive in about 20 s.
KEEPALIVE = {
    option: value
    for option, value in (
        (getattr(socket, "TCP_KEEPIDLE", None), 10),
        (getattr(socket, "TCP_KEEPINTVL", None), 5),
        (getattr(socket, "TCP_KEEPCNT", None), 2),
    )
    if option is not None
}
CONNECTION_ERRORS = (RedisError, OSError)


def next_backoff(delay: float, cap: float = MAX_BACKOFF) -> float:
    """The wait after `delay` failed: double it, never beyond `cap`."""
    return min(delay * 2, cap)


def redis_client(url: str) -> Redis:
    """A client that fails fast instead of retrying: the broker decides what happens next."""
    return Redis.from_url(
        url,
        socket_connect_timeout=CONNECT_TIMEOUT,
        socket_timeout=CONNECT_TIMEOUT,
        socket_keepalive=True,
        socket_keepalive_options=KEEPALIVE,
        retry=Retry(NoBackoff(), 0),
    )


async def check_redis(url: str) -> None:
    """Raise `Unreachable` (one line, password masked) unless Redis answers a PING."""
    try:
        client = redis_client(url)
    except ValueError as error:  # not a redis:// URL at all
        raise unreachable("REDIS_URL", url, error, CONNECT_TIMEOUT) from error
    try:
        await client.ping()
    except CONNECTION_ERRORS as error:
        raise unreachable("REDIS_URL", url, error, CONNECT_TIMEOUT) from error
    finally:
        await client.aclose()
