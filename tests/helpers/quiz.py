"""A quiz's secret in tests: where its correct responses show, and where they must not."""

from __future__ import annotations

import json
import re
from typing import Any

from tests.helpers.sockets import assert_swappable

# Before the reveal, nothing a non-owner gets may say "correct" at all (the mark, the
# attribute, a class, the verdict) nor "the answer was".
SECRET = re.compile(r"correct|the answer was", re.IGNORECASE)
# The status line a socket answers a frame that is no JSON: to a signed-in viewer, and to
# a signed-out one.
PING_REPLY = re.compile(r"could not be read|Sign in to vote\.")


def leaks(text: str) -> list[str]:
    """What in `text` gives a quiz's answer away, with some context (empty: nothing)."""
    if text.lstrip().startswith("{"):  # results.json: `correct` must be null
        document = json.loads(text)
        if document.pop("correct", None) is not None:
            return [f"correct: {text}"]
        text = json.dumps(document)
    return [text[max(0, m.start() - 80) : m.end() + 40] for m in SECRET.finditer(text)]


def marked_correct(html: str) -> set[str]:
    """The ids of the responses marked `data-correct="true"`."""
    return set(re.findall(r'id="result-(\d+)"[^>]*data-correct="true"', html))


def drain(ws: Any) -> list[str]:
    """Every frame the socket has been sent so far: it answers a bad frame after them."""
    ws.send_text("ping")
    frames = []
    while True:
        frame = ws.receive_text()
        assert_swappable(frame)
        frames.append(frame)
        if PING_REPLY.search(frame):
            return frames


def receive_marked(ws: Any, limit: int = 20) -> str:
    """Read frames until one marks a response correct; fail after `limit` frames."""
    for _ in range(limit):
        frame = ws.receive_text()
        if 'data-correct="true"' in frame:
            return frame
    raise AssertionError("no frame marked a correct response")


def verdict(html: str) -> str:
    """The text of a voter's verdict (`#quiz-verdict`), as read; empty when there is none."""
    found = re.search(r'<p id="quiz-verdict"[^>]*>(.*?)</p>', html, re.DOTALL)
    return " ".join(re.sub(r"<[^>]+>", "", found.group(1)).split()) if found else ""
