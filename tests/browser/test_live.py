"""Two people, two browsers: a click in one moves the other's results without a reload."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Browser, expect

from tests.browser.conftest import LiveServer, create_poll_in_page, join_as_guest


def test_a_vote_moves_the_owner_s_results_live_and_the_avatar_moves_on_change(
    browser: Browser, live_server: LiveServer, screenshot_dir: Path
) -> None:
    owner = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
    join_as_guest(owner, live_server.url, "Alex Instructor")
    poll_url = create_poll_in_page(
        owner, live_server.url, "Which loop is clearer?", ["for", "while", "recursion"]
    )
    expect(owner.locator("#presence")).to_contain_text("1 watching")

    student = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    join_as_guest(student, live_server.url, "Sam Student")
    student.goto(poll_url)
    expect(owner.locator("#presence")).to_contain_text("2 watching")
    expect(student.locator("#poll-live")).to_have_attribute("data-live", "open")

    student.get_by_role("radio", name="while").check()
    student.get_by_role("button", name="Vote").click()
    expect(student.locator("#vote-status")).to_contain_text("Your vote for “while” is in.")

    while_row = owner.locator("[data-choice-id]", has_text="while")
    expect(while_row).to_have_attribute("data-votes", "1")
    expect(owner.locator("[data-total-votes]")).to_have_attribute("data-total-votes", "1")
    expect(while_row.locator("img.voter")).to_have_attribute("alt", "Sam Student")
    expect(while_row.locator(".choice-pct")).to_have_text("100%")

    student.get_by_role("radio", name="recursion").check()
    student.get_by_role("button", name="Vote").click()
    recursion_row = owner.locator("[data-choice-id]", has_text="recursion")
    expect(recursion_row.locator("img.voter")).to_have_count(1)
    expect(while_row.locator("img.voter")).to_have_count(0)
    expect(while_row).to_have_attribute("data-votes", "0")
    expect(owner.locator("[data-total-votes]")).to_have_attribute("data-total-votes", "1")
    assert owner.locator("img.voter").count() == 1
    owner.wait_for_timeout(800)  # let the avatar land before the picture
    owner.screenshot(path=screenshot_dir / "live-owner-1080p.png")
    student.screenshot(path=screenshot_dir / "live-student-phone.png", full_page=True)
