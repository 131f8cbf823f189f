"""Browser tests: Debian's Chromium driven by Playwright against a real `crowdsource serve`."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext

from tests.helpers.fake_github_server import FakeGitHubServer
from tests.helpers.live_server import REPO, LiveServer
from tests.helpers.sites import HostSite

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = REPO / "test-results" / "screenshots"
SCREENSHOTS_ENV = "CROWDSOURCE_SCREENSHOTS_DIR"  # scripts/screenshots: the README's pictures


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


@pytest.fixture
def pictures(screenshot_dir: Path) -> Path:
    """Where the stories' pictures go: the README's folder when asked, else test-results."""
    wanted = os.environ.get(SCREENSHOTS_ENV)
    folder = Path(wanted).resolve() if wanted else screenshot_dir / "story"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def new_context(browser: Browser) -> Iterator[Callable[..., BrowserContext]]:
    """Browser contexts (one per person) in a European time zone, all closed at the end."""
    contexts: list[BrowserContext] = []

    def make(**options: Any) -> BrowserContext:
        context = browser.new_context(locale="en-GB", timezone_id="Europe/Madrid", **options)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


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
