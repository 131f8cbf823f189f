"""Acting on the app as a person would, through Starlette's TestClient."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx2
import jwt
from starlette.testclient import TestClient

from crowdsource.auth.tokens import AUDIENCE, COOKIE_NAME
from crowdsource.domain.models import Vote
from crowdsource.settings import Settings

TEST_SECRET = "test-secret-key-that-is-long-enough-for-hs256-0123456789"


def make_settings(tmp_path: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "secret_key": TEST_SECRET,
        "public_url": "http://testserver",
        "data_dir": tmp_path,
        "database_url": f"sqlite://{tmp_path / 'test.sqlite3'}",
        "guest_sign_in": True,
    }
    values.update(overrides)
    return Settings(**values)


POSTGRES_TEMPLATE = "crowdsource_template"


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "page has no CSRF token"
    return match.group(1)


def sign_in_guest(client: TestClient, name: str = "Ada Student") -> None:
    token = csrf_of(client.get("/login").text)
    response = client.post(
        "/login/guest",
        data={"name": name, "next": "/", "csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text


CHOICES = ["Hammer", "Saw", "Drill", "Glue"]  # a `multiple` poll's responses, to pick several


def create_poll(client: TestClient, **fields: Any) -> str:
    """Create a poll through the form; returns its slug."""
    token = csrf_of(client.get("/").text)
    data: dict[str, Any] = {
        "question": "How well do you follow?",
        "choices": ["Old hat", "Okay", "No idea"],
        "csrf_token": token,
    }
    data.update(fields)
    response = client.post("/polls", data=data, follow_redirects=False)
    assert response.status_code == 303, response.text
    return response.headers["location"].rsplit("/", 1)[1]


def vote(client: TestClient, slug: str, choice: str | int | list[str], **extra: Any) -> Any:
    """A vote through the form; a list ticks several boxes (`multiple`)."""
    token = csrf_of(client.get(f"/polls/{slug}").text)
    picked = [str(item) for item in choice] if isinstance(choice, list) else str(choice)
    return client.post(
        f"/polls/{slug}/votes",
        data={"choice": picked, "csrf_token": token, **extra},
        follow_redirects=False,
    )


def results(client: TestClient, slug: str) -> dict[str, Any]:
    """The poll's results.json, as this client is allowed to see it."""
    return client.get(f"/polls/{slug}/results.json").json()


def choice_ids(client: TestClient, slug: str) -> list[str]:
    """The ids of the poll's choices, in order (from results.json)."""
    return [choice["id"] for choice in results(client, slug)["choices"]]


def votes_of(client: TestClient, slug: str) -> list[int]:
    """The votes of the poll's choices, in order (from results.json)."""
    return [choice["votes"] for choice in results(client, slug)["choices"]]


def sets_token(response: httpx2.Response) -> bool:
    """The response sets the `crowdsource_token` cookie."""
    return any(h.startswith(COOKIE_NAME + "=") for h in response.headers.get_list("set-cookie"))


def token_claims(client: TestClient) -> dict[str, Any]:
    """The claims of the client's token, verified as an integrator would (README)."""
    return jwt.decode(
        client.cookies[COOKIE_NAME], TEST_SECRET, algorithms=["HS256"], audience=AUDIENCE
    )


def assert_sign_in_failed(response: httpx2.Response, status: int, message: str) -> None:
    """The sign-in failure page: its status, the message, a retry link, and no token."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("text/html")
    assert message in response.text
    assert ">Try again</a>" in response.text
    assert "You are not signed in" in response.text
    assert not sets_token(response)


def run(client: TestClient, function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Run an async domain function on the app's own event loop (and its database)."""

    async def call() -> Any:
        return await function(*args, **kwargs)

    return client.portal.call(call)


def votes_stored(client: TestClient) -> int:
    """How many votes the app's database holds, every poll's."""
    return run(client, Vote.all().count)


def owner_and_class(client_factory: Callable[..., TestClient]) -> dict[str, TestClient]:
    """An owner, two signed-in students (Ada, Bob) and a signed-out visitor."""
    owner, ada, bob, visitor = (client_factory() for _ in range(4))
    for person, name in ((owner, "Alex Owner"), (ada, "Ada"), (bob, "Bob")):
        sign_in_guest(person, name)
    return {"owner": owner, "ada": ada, "bob": bob, "visitor": visitor}
