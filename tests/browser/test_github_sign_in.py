"""Students sign in through a fake GitHub on 127.0.0.1 and vote; the owner sees their GitHub
avatars, and the initials avatar wherever a GitHub avatar fails to load."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from tests.helpers.browser import create_poll_in_page, join_as_guest
from tests.helpers.fake_github_server import FakeGitHubServer
from tests.helpers.live_server import LiveServer

QUESTION = "Which loop would you reach for?"
RESPONSES = ["for", "while", "recursion"]


@pytest.fixture
def github_people() -> dict[str, str]:
    return {"sam-student": "Sam Student", "broken-bo": "Bo Broken"}


def sign_in_with_github_and_vote(page: Page, poll_url: str, login: str, response: str) -> None:
    page.goto(poll_url)
    page.get_by_role("link", name="Sign in with GitHub").click()  # offered on the poll page
    page.get_by_role("button", name=f"Authorize as {login}").click()
    expect(page).to_have_url(poll_url)
    page.get_by_role("radio", name=response).check()
    page.get_by_role("button", name="Vote").click()
    expect(page.locator(f'[data-choice-id][data-votes="1"]:has-text("{response}")')).to_have_count(
        1
    )


def wait_until_shown(page: Page, image: Locator) -> None:
    """The picture really decoded: not blocked by the CSP, not a broken image."""
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=image.element_handle()
    )


def test_students_sign_in_with_github_and_the_owner_sees_their_avatars(
    browser: Browser, github_app: LiveServer, fake_github: FakeGitHubServer, screenshot_dir: Path
) -> None:
    fake_github.broken_avatars.add("broken-bo")
    owner = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
    join_as_guest(owner, github_app.url, "Alex Instructor")
    poll_url = create_poll_in_page(owner, github_app.url, QUESTION, RESPONSES)

    sam = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    sign_in_with_github_and_vote(sam, poll_url, "sam-student", "while")
    expect(sam.locator(".whoami")).to_contain_text("Sam Student")

    owner.reload()
    avatar = owner.locator('[data-choice-id]:has-text("while") img.voter[data-voter="sam-student"]')
    expect(avatar).to_have_attribute("src", f"{fake_github.url}/avatars/sam-student.svg?s=80")
    expect(avatar).to_have_attribute("alt", "sam-student")
    wait_until_shown(owner, avatar)

    bo = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    sign_in_with_github_and_vote(bo, poll_url, "broken-bo", "recursion")
    expect(bo.locator("img.avatar-sm")).to_have_attribute("src", "/avatars/broken-bo.svg")
    bo.screenshot(path=screenshot_dir / "github-student-phone.png", full_page=True)

    owner.reload()
    broken = owner.locator('img.voter[data-voter="broken-bo"]')
    expect(broken).to_have_attribute("src", "/avatars/broken-bo.svg")
    wait_until_shown(owner, broken)
    expect(avatar).to_have_attribute("src", f"{fake_github.url}/avatars/sam-student.svg?s=80")
    owner.screenshot(path=screenshot_dir / "github-owner-1080p.png", full_page=True)


def test_cancelling_on_github_explains_and_signs_nobody_in(
    browser: Browser, github_app: LiveServer, screenshot_dir: Path
) -> None:
    for name, viewport in (("phone", (390, 844)), ("1080p", (1920, 1080))):
        context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
        page = context.new_page()
        page.goto(f"{github_app.url}/login?next=/polls/whatever")
        page.get_by_role("link", name="Sign in with GitHub").click()
        page.get_by_role("button", name="Cancel").click()
        expect(page.get_by_role("heading", name="You are not signed in")).to_be_visible()
        expect(page.get_by_role("alert")).to_contain_text("You chose not to let Crowdsource")
        assert not [c for c in context.cookies() if c["name"] == "crowdsource_token"]
        page.screenshot(path=screenshot_dir / f"github-denied-{name}.png", full_page=True)
        page.get_by_role("link", name="Try again").click()
        expect(page.get_by_role("button", name="Cancel")).to_be_visible()
        context.close()
