"""The names of one deployment's channels and keys in Redis, all under its REDIS_PREFIX
(`crowdsource:poll-changed`, `crowdsource:watching:42`), so two deployments sharing one Redis
neither hear each other's changes nor count each other's viewers. A new channel or key is
named with `redis_name` too (through `RedisBroker.name`)."""

from __future__ import annotations

DEFAULT_PREFIX = "crowdsource"  # REDIS_PREFIX's default
POLL_CHANGED = "poll-changed"  # the channel of "poll X changed"
WATCHING = "watching"  # the presence hash of a poll: `watching:<poll id>`


def redis_name(prefix: str, *parts: object) -> str:
    """`redis_name("crowdsource", "watching", 42)` is `crowdsource:watching:42`."""
    return ":".join((prefix, *map(str, parts)))
