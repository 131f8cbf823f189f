"""Text questions in route and socket tests: create one, answer it, read its answers."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from starlette.testclient import TestClient

from tests.helpers.client import create_poll, csrf_of, sign_in_guest

HOSTILE = '<img src=x onerror=alert(1)><script>alert("x")</script>'


def create_text_poll(client: TestClient, **fields: Any) -> str:
    """A text question made through the create form; returns its slug."""
    values: dict[str, Any] = {"question": "One word for today?", "kind": "text", "choices": []}
    return create_poll(client, **{**values, **fields})


def answer(client: TestClient, slug: str, text: str, **extra: Any) -> Any:
    """Answer through the no-JavaScript form post."""
    token = csrf_of(client.get(f"/polls/{slug}").text)
    return client.post(
        f"/polls/{slug}/votes",
        data={"answer": text, "csrf_token": token, **extra},
        follow_redirects=False,
    )


def send_answer(ws: Any, text: object) -> None:
    """What htmx's ws extension sends for the text vote form."""
    ws.send_text(json.dumps({"answer": text, "HEADERS": {"HX-Request": "true"}}))


def answer_ids(html: str) -> list[str]:
    """The `data-answer-id` of every answer listed in `html`, in order."""
    return re.findall(r'data-answer-id="(\d+)"', html)


def cloud(html: str) -> dict[str, int]:
    """word -> count of the cloud's words in `html`."""
    found = re.findall(r'data-word="([^"]*)" data-count="(\d+)"', html)
    return {word: int(count) for word, count in found}


def hide(client: TestClient, slug: str, answer_id: str | int, **extra: Any) -> Any:
    token = csrf_of(client.get(f"/polls/{slug}").text)
    return client.post(
        f"/polls/{slug}/answers/{answer_id}/hide",
        data={"csrf_token": token, **extra},
        follow_redirects=False,
    )


def owner_two_students_and_a_visitor(build: Callable[[], TestClient]) -> dict[str, TestClient]:
    """Four browsers: the poll's owner, Ada and Bob signed in as guests, a signed-out visitor."""
    people = {name: build() for name in ("owner", "ada", "bob", "visitor")}
    for name, shown in (("owner", "Alex Owner"), ("ada", "Ada"), ("bob", "Bob")):
        sign_in_guest(people[name], shown)
    return people
