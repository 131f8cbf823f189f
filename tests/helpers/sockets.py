"""Sockets in tests: a fake one for the hub, and reading what a live page receives."""

from __future__ import annotations

import asyncio
import json
import re
from html.parser import HTMLParser
from typing import Any


class FakeSocket:
    def __init__(self, gate: asyncio.Event | None = None) -> None:
        self.sent: list[str] = []
        self.closed: int | None = None
        self.gate = gate

    async def send_text(self, data: str) -> None:
        if self.gate is not None:
            await self.gate.wait()
        self.sent.append(data)

    async def close(self, code: int = 1000, reason: str | None = None) -> None:
        self.closed = code


class TopLevel(HTMLParser):
    """Collects the attributes of a fragment's top-level elements."""

    VOID = frozenset({"img", "br", "hr", "input", "meta", "link"})

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.roots: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.depth == 0:
            self.roots.append(dict(attrs))
        if tag not in self.VOID:
            self.depth += 1

    def handle_endtag(self, tag: str) -> None:
        self.depth -= 1


def assert_swappable(message: str) -> None:
    """DESIGN §2: every top-level element of a push has an id and is swapped out-of-band."""
    parser = TopLevel()
    parser.feed(message)
    assert parser.roots, message
    for attrs in parser.roots:
        assert attrs.get("id") and attrs.get("hx-swap-oob"), (attrs, message[:300])


def receive_until(ws: Any, needle: str, limit: int = 20) -> str:
    """Read messages until one contains `needle`; fail after `limit` messages."""
    seen = []
    for _ in range(limit):
        message = ws.receive_text()
        assert_swappable(message)
        if needle in message:
            return message
        seen.append(message[:120])
    raise AssertionError(f"{needle!r} never arrived; got {seen}")


def ws_url(slug: str) -> str:
    """The poll's live socket."""
    return f"/polls/{slug}/ws"


def send_vote(ws: Any, choice: object) -> None:
    ws.send_text(json.dumps({"choice": choice, "HEADERS": {"HX-Request": "true"}}))


def choice_ids_in(html: str) -> list[str]:
    """The ids of the responses a page or a pushed fragment offers (`data-choice-id`)."""
    return re.findall(r'data-choice-id="(\d+)"', html)
