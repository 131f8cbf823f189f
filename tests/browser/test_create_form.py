"""The create form's in-page "Add a response" keeps the server's limits."""

from __future__ import annotations

from playwright.sync_api import Browser, expect

from crowdsource.domain.models import CHOICE_MAX
from crowdsource.domain.poll_input import MAX_CHOICES
from tests.helpers.browser import join_as_guest
from tests.helpers.live_server import LiveServer


def test_added_response_boxes_take_the_domain_limits(
    browser: Browser, live_server: LiveServer
) -> None:
    page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    join_as_guest(page, live_server.url, "Alex Instructor")
    page.goto(live_server.url + "/")
    boxes = page.locator("#choice-inputs input[name='choices']")
    shown = boxes.count()
    page.get_by_role("button", name="Add a response").click()
    added = page.locator(f"#choice-{shown + 1}")
    expect(added).to_be_focused()
    expect(added).to_have_attribute("data-maxlength", str(CHOICE_MAX))
    for _ in range(MAX_CHOICES - shown - 1):
        page.get_by_role("button", name="Add a response").click()
    expect(boxes).to_have_count(MAX_CHOICES)
    expect(page.get_by_role("button", name="Add a response")).to_have_count(0)
