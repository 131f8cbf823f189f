"""The create form with static/js/poll_form.js and timezone.js: responses added in place, a
quick end time or a date but not both, the browser's time zone, and the focus on problems.
(Without JavaScript the same form works through the server: tests/web/test_routes_polls.py.)"""

from __future__ import annotations

from playwright.sync_api import Browser, Page, expect

from tests.helpers.browser import join_as_guest
from tests.helpers.live_server import LiveServer

ZONE = "Australia/Adelaide"  # UTC+09:30 in May: nobody's default by accident


def create_form(browser: Browser, server: LiveServer) -> Page:
    page = browser.new_context(timezone_id=ZONE).new_page()
    join_as_guest(page, server.url, "Alex Instructor")
    page.goto(f"{server.url}/")
    page.evaluate("window.notReloaded = true")
    return page


def test_add_a_response_adds_a_box_in_place_up_to_the_limit(
    browser: Browser, live_server: LiveServer
) -> None:
    page = create_form(browser, live_server)
    boxes = page.locator("#choice-inputs input[name='choices']")
    shown = boxes.count()
    limit = int(page.locator("#choice-inputs").get_attribute("data-max") or "0")
    assert 2 <= shown < limit
    length = boxes.first.get_attribute("data-maxlength")
    assert length

    page.get_by_role("button", name="Add a response").click()
    added = page.get_by_label(f"Response {shown + 1}", exact=True)
    expect(added).to_be_focused()
    expect(added).to_have_attribute("data-maxlength", length)
    expect(added).to_have_attribute("name", "choices")
    assert page.evaluate("window.notReloaded") is True  # no round trip to the server

    for _ in range(limit - shown - 1):
        page.get_by_role("button", name="Add a response").click()
    expect(boxes).to_have_count(limit)
    expect(page.get_by_role("button", name="Add a response")).to_have_count(0)
    expect(page.get_by_label(f"Response {limit}", exact=True)).to_be_focused()
    assert page.evaluate("window.notReloaded") is True

    page.get_by_label("Question").fill("Which is your favourite?")
    for index in range(1, limit + 1):
        page.get_by_label(f"Response {index}", exact=True).fill(f"Option {index}")
    page.get_by_role("button", name="Create poll").click()
    page.wait_for_url("**/polls/*")
    expect(page.locator("#results [data-choice-id]")).to_have_count(limit)
    expect(page.locator("#results [data-choice-id]").last).to_contain_text(f"Option {limit}")


def test_a_quick_end_time_and_a_date_exclude_each_other(
    browser: Browser, live_server: LiveServer
) -> None:
    page = create_form(browser, live_server)
    by_hand = page.get_by_label("By hand, or at the date and time below")
    date = page.locator("#closes_at")
    expect(by_hand).to_be_checked()

    page.get_by_label("In 5 minutes").check()
    date.fill("2099-05-17T15:30")
    expect(by_hand).to_be_checked()
    expect(page.get_by_label("In 5 minutes")).not_to_be_checked()

    page.get_by_label("In 15 minutes").check()
    expect(date).to_have_value("")


def test_the_date_is_read_in_the_browser_s_time_zone(
    browser: Browser, live_server: LiveServer
) -> None:
    page = create_form(browser, live_server)
    expect(page.locator("#closes_at-hint")).to_have_text(
        f"Your local time ({ZONE}). Leave empty to close it yourself."
    )
    expect(page.locator("#timezone")).to_have_value(ZONE)
    page.get_by_label("Question").fill("Ready for Friday?")
    page.get_by_label("Response 1", exact=True).fill("Yes")
    page.get_by_label("Response 2", exact=True).fill("No")
    page.locator("#closes_at").fill("2099-05-17T15:30")
    page.get_by_role("button", name="Create poll").click()
    page.wait_for_url("**/polls/*")
    # 15:30 in Adelaide (UTC+09:30 in May) is 06:00 UTC.
    expect(page.locator("#poll-meta time")).to_have_attribute("datetime", "2099-05-17T06:00:00Z")


def test_a_refused_form_puts_the_focus_on_its_problems(
    browser: Browser, live_server: LiveServer
) -> None:
    page = create_form(browser, live_server)
    page.get_by_label("Response 1", exact=True).fill("Only one")
    page.get_by_role("button", name="Create poll").click()
    problems = page.locator("#form-problems")
    expect(problems).to_contain_text("Please fix")
    expect(problems).to_be_focused()
