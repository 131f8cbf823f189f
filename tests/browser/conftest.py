"""Browser tests: Debian's Chromium driven by Playwright against a real `crowdsource serve`."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.fake_github_server import FakeGitHubServer
from tests.browser.sites import HostSite
from tests.live_server import REPO, LiveServer

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = REPO / "test-results" / "screenshots"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)
            if not Path(CHROMIUM).exists():
                item.add_marker(
                    pytest.mark.skip(
                        reason=f"{CHROMIUM} is not installed (apt-get install chromium)"
                    )
                )


@pytest.fixture(scope="session")
def browser_type_launch_args() -> dict[str, Any]:
    return {
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture
def live_server_factory(tmp_path: Path) -> Iterator[Callable[..., LiveServer]]:
    servers: list[LiveServer] = []

    def start(data_dir: Path | None = None, **env: str) -> LiveServer:
        server = LiveServer(data_dir or tmp_path / f"server{len(servers)}", env).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def live_server(live_server_factory: Callable[..., LiveServer]) -> LiveServer:
    return live_server_factory()


@pytest.fixture
def screenshot_dir() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


def join_as_guest(page: Any, base_url: str, name: str, next_path: str = "/") -> None:
    """Sign in through the page, the way a student would."""
    page.goto(f"{base_url}/login?next={next_path}")
    page.get_by_label("Join as a guest: your name").fill(name)
    page.get_by_role("button", name="Join").click()


def create_poll_in_page(
    page: Any, base_url: str, question: str, responses: list[str], closes: str | None = None
) -> str:
    """Fill the create form with real typing and clicks; returns the poll URL.
    `closes` is the label of a quick end time to pick, such as "In 5 minutes"."""
    page.goto(f"{base_url}/")
    if closes:
        page.get_by_label(closes).check()
    page.get_by_label("Question").fill(question)
    for index, label in enumerate(responses, start=1):
        page.get_by_label(f"Response {index}", exact=True).fill(label)
    page.get_by_role("button", name="Create poll").click()
    page.wait_for_url("**/polls/*")
    return page.url


@pytest.fixture
def host_site() -> Iterator[HostSite]:
    with HostSite() as site:
        yield site


@pytest.fixture
def github_people() -> dict[str, str]:
    """Who can sign in at the fake GitHub (login -> name); a test module overrides this."""
    return {"sam-student": "Sam Student"}


@pytest.fixture
def fake_github(github_people: dict[str, str]) -> Iterator[FakeGitHubServer]:
    with FakeGitHubServer(github_people) as server:
        yield server


@pytest.fixture
def github_app(
    live_server_factory: Callable[..., LiveServer], fake_github: FakeGitHubServer
) -> LiveServer:
    """A live server whose GitHub is the fake one, with guests allowed too."""
    return live_server_factory(GUEST_SIGN_IN="on", **fake_github.env())
