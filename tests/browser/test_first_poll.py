"""A guest creates a poll; a second guest votes through the page with JavaScript off."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Browser, expect

from tests.helpers.browser import create_poll_in_page, join_as_guest
from tests.helpers.live_server import LiveServer


def test_guest_creates_poll_and_another_votes_without_javascript(
    browser: Browser, live_server: LiveServer, screenshot_dir: Path
) -> None:
    owner = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
    join_as_guest(owner, live_server.url, "Alex Instructor")
    poll_url = create_poll_in_page(
        owner,
        live_server.url,
        "How is CoffeeScript going?",
        ["This is old hat to me", "I have an okay understanding", "No idea what you mean"],
    )
    share = owner.get_by_label("Share link")
    expect(share).to_have_value(poll_url)

    student_context = browser.new_context(
        java_script_enabled=False, viewport={"width": 390, "height": 844}
    )
    student = student_context.new_page()
    student.goto(poll_url)
    student.get_by_role("radio", name="I have an okay understanding").check()
    student.get_by_label("Your name").fill("Sam Student")  # joins and votes in one submit
    student.get_by_role("button", name="Vote").click()
    expect(student).to_have_url(poll_url)
    expect(student.locator("#vote-status")).to_contain_text("Your vote for")
    student.screenshot(path=screenshot_dir / "poll-phone-voted.png", full_page=True)

    owner.reload()
    row = owner.locator("[data-choice-id]", has_text="I have an okay understanding")
    expect(row).to_have_attribute("data-votes", "1")
    expect(owner.locator("[data-total-votes]")).to_have_attribute("data-total-votes", "1")
    expect(row.locator("img.voter")).to_have_attribute("alt", "Sam Student (guest)")
    owner.screenshot(path=screenshot_dir / "poll-owner-1080p.png", full_page=True)
