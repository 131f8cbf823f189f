"""The poll lifecycle in a real browser: a quick end time, a countdown on the server's clock,
the owner closing the poll while a student watches, and reopening it.

The student sees the close after a reload here; the live push of the same change is the
live layer's and gets its own browser test."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from tests.helpers.browser import create_poll_in_page, join_as_guest
from tests.helpers.live_server import LiveServer

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1920, "height": 1080}
QUESTION = "Which loop reads best?"
RESPONSES = ["for … in", "while", "a comprehension"]


def create_quick_poll(page: Page, base_url: str) -> str:
    """Create a poll that closes in 5 minutes, by clicking the quick choice."""
    return create_poll_in_page(page, base_url, QUESTION, RESPONSES, closes="In 5 minutes")


def test_owner_closes_and_reopens_while_a_student_watches(
    browser: Browser, live_server: LiveServer, screenshot_dir: Path
) -> None:
    owner = browser.new_context(viewport=DESKTOP).new_page()
    join_as_guest(owner, live_server.url, "Alex Instructor")
    poll_url = create_quick_poll(owner, live_server.url)

    meta = owner.locator("#poll-meta")
    expect(meta.locator("[data-countdown]")).to_have_text(re.compile(r"^4:[0-5]\d left$"))
    expect(meta.locator("time")).to_have_attribute("data-localised", "")
    owner.locator("#owner-panel").screenshot(path=screenshot_dir / "owner-panel-1080p.png")
    owner.screenshot(path=screenshot_dir / "lifecycle-owner-open-1080p.png", full_page=True)

    student_context = browser.new_context(viewport=PHONE)
    student = student_context.new_page()
    join_as_guest(student, live_server.url, "Sam Student", next_path=poll_url)
    student.goto(poll_url)
    expect(student.locator("form#vote-form")).to_be_visible()
    expect(student.locator("#owner-panel")).to_have_count(0)
    student.get_by_role("radio", name="while").check()
    student.get_by_role("button", name="Vote").click()
    expect(student.locator("#vote-status")).to_contain_text("Your vote for")

    owner.get_by_role("button", name="Close voting now").click()
    expect(owner.locator("#owner-status")).to_have_text("Voting is closed. Results stay.")
    expect(owner.locator("#results")).to_have_attribute("data-state", "closed")
    expect(owner.get_by_role("button", name="Reopen voting")).to_be_visible()

    student.reload()
    expect(student.locator("#poll-meta")).to_contain_text("Voting closed")
    expect(student.locator("#vote-panel")).to_contain_text("Voting closed.")
    expect(student.locator("form#vote-form")).to_have_count(0)
    expect(student.locator("#results")).to_have_attribute("data-state", "closed")
    student.screenshot(path=screenshot_dir / "lifecycle-student-closed-phone.png", full_page=True)

    owner.set_viewport_size(PHONE)
    owner.locator("#owner-panel").screenshot(path=screenshot_dir / "owner-panel-closed-phone.png")
    owner.set_viewport_size(DESKTOP)
    owner.get_by_role("group", name="Or reopen for just").get_by_role(
        "button", name="15 min"
    ).click()
    expect(owner.locator("#results")).to_have_attribute("data-state", "open")
    expect(owner.locator("#poll-meta [data-countdown]")).to_have_text(
        re.compile(r"^1[45]:[0-5]\d left$")
    )
    owner.set_viewport_size(PHONE)
    owner.locator("#owner-panel").screenshot(path=screenshot_dir / "owner-panel-open-phone.png")

    student.reload()
    expect(student.locator("form#vote-form")).to_be_visible()
    student_context.close()


def test_the_countdown_follows_the_server_clock_not_the_phone(
    browser: Browser, live_server: LiveServer
) -> None:
    owner = browser.new_context(viewport=DESKTOP).new_page()
    join_as_guest(owner, live_server.url, "Alex Instructor")
    poll_url = create_quick_poll(owner, live_server.url)

    phone = browser.new_context(viewport=PHONE).new_page()
    phone.clock.install(time=datetime.now(UTC) + timedelta(hours=1))  # a phone an hour fast
    phone.goto(poll_url)
    expect(phone.locator("[data-countdown]")).to_have_text(re.compile(r"^4:[0-5]\d left$"))
    expect(phone.locator("#results")).to_have_attribute("data-state", "open")


def test_delete_asks_for_confirmation_then_the_link_is_gone(
    browser: Browser, live_server: LiveServer
) -> None:
    owner = browser.new_context(viewport=PHONE, java_script_enabled=False).new_page()
    join_as_guest(owner, live_server.url, "Alex Instructor")
    poll_url = create_poll_in_page(owner, live_server.url, QUESTION, RESPONSES)
    owner.get_by_role("radio", name="while").check()  # a vote to lose: it asks first
    owner.get_by_role("button", name="Vote").click()
    owner.get_by_role("link", name="Delete…").click()
    owner.get_by_role("button", name="Delete poll").click()
    expect(owner.locator(".field-error")).to_contain_text("Tick the box")
    owner.get_by_label("Yes, delete this poll and its votes").check()
    owner.get_by_role("button", name="Delete poll").click()
    expect(owner).to_have_url(f"{live_server.url}/polls")
    expect(owner.get_by_role("status")).to_contain_text(f"Deleted “{QUESTION}”.")
    assert owner.goto(poll_url).status == 404  # type: ignore[union-attr]


def test_owner_controls_pushed_live_keep_the_copy_button_and_the_time_zone(
    browser: Browser, live_server: LiveServer
) -> None:
    """The owner panel is replaced over the socket when the poll changes elsewhere (another
    tab, the timer): its copy button and its reopen form's time zone must survive that."""
    context = browser.new_context(viewport=DESKTOP, timezone_id="Australia/Adelaide")
    owner = context.new_page()
    join_as_guest(owner, live_server.url, "Alex Instructor")
    poll_url = create_poll_in_page(owner, live_server.url, QUESTION, RESPONSES)
    expect(owner.locator("#poll-live")).to_have_attribute("data-live", "open")
    panel = owner.locator("#owner-panel")
    copy_button = panel.get_by_role("button", name="Copy link")
    expect(copy_button).to_have_js_property("hidden", False)
    owner.evaluate("document.getElementById('owner-panel').dataset.firstRender = 'yes'")

    other_tab = context.new_page()
    other_tab.goto(poll_url)
    other_tab.get_by_role("button", name="Close voting now").click()
    expect(owner.locator("#results")).to_have_attribute("data-state", "closed")
    expect(owner.get_by_role("button", name="Reopen voting")).to_be_visible()
    expect(panel).not_to_have_attribute("data-first-render", "yes")  # it was pushed

    expect(copy_button).to_have_js_property("hidden", False)
    expect(panel.locator("input[data-timezone]")).to_have_value("Australia/Adelaide")
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    copy_button.click()
    expect(panel.get_by_role("button", name="Copied ✓")).to_be_visible()
    assert owner.evaluate("navigator.clipboard.readText()") == poll_url
    context.close()
