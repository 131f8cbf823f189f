"""Acting as an instructor with a room, through the forms a person uses."""

from __future__ import annotations

import re
from typing import Any

from starlette.testclient import TestClient

from tests.helpers.client import csrf_of


def create_room(client: TestClient, name: str = "CS 101 — Spring") -> str:
    """Create a room through the form; returns its code."""
    token = csrf_of(client.get("/rooms").text)
    response = client.post(
        "/rooms", data={"name": name, "csrf_token": token}, follow_redirects=False
    )
    assert response.status_code == 303, response.text
    match = re.fullmatch(r"/r/([A-Z0-9]{6})/host", response.headers["location"])
    assert match, response.headers["location"]
    return match.group(1)


def host_post(client: TestClient, path: str, **fields: Any) -> Any:
    """A form of the host console (`path`: `/r/CODE/…`), posted with its CSRF token."""
    console = "/".join(path.split("/")[:3]) + "/host"
    token = csrf_of(client.get(console).text)
    return client.post(path, data={"csrf_token": token, **fields}, follow_redirects=False)


def ask(client: TestClient, code: str, **fields: Any) -> str:
    """Ask a question in the room (`launch="1"` by default); returns its slug."""
    data: dict[str, Any] = {
        "question": "Which one is a prime?",
        "choices": ["4", "7", "9"],
        "launch": "1",
        **fields,
    }
    response = host_post(client, f"/r/{code}/polls", **data)
    assert response.status_code == 303, response.text
    return current_slug(client, code) if data["launch"] == "1" else newest_slug(client, code)


def current_slug(client: TestClient, code: str) -> str:
    """The question every screen of the room shows (empty while it waits)."""
    match = re.search(r'id="stage"[^>]*data-poll="([^"]*)"', client.get(f"/r/{code}").text)
    assert match
    return match.group(1)


def newest_slug(client: TestClient, code: str) -> str:
    """The last question of the room's list on the host console."""
    slugs = re.findall(r'data-question="([^"]+)"', client.get(f"/r/{code}/host").text)
    assert slugs
    return slugs[-1]


def launch(client: TestClient, code: str, slug: str) -> Any:
    return host_post(client, f"/r/{code}/current", poll=slug)


def room_socket(code: str, view: str = "") -> str:
    return f"/r/{code}/ws" + (f"?view={view}" if view else "")
