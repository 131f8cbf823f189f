"""The projector view and the embeddable widget, as a room and another site see them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.helpers.browser import avatars_shown, box_of, create_poll_in_page, join_as_guest
from tests.helpers.live_server import LiveServer
from tests.helpers.seed import seed_poll
from tests.helpers.sites import HostSite

TWELVE = [
    f"Topic {n}: {'recursion and the call stack' if n % 2 else 'closures'}" for n in range(1, 13)
]


SCROLLBARS = (
    "() => document.documentElement.scrollHeight > innerHeight"
    " || document.documentElement.scrollWidth > innerWidth"
)


def has_scrollbars(page: Page) -> bool:
    return page.evaluate(SCROLLBARS)


def wait_until_it_fits(page: Page) -> None:
    """The projector sizes its avatars after they arrive: wait for the page to fit."""
    page.wait_for_function(f"() => !({SCROLLBARS})()")


def vote_as(browser: Browser, server: LiveServer, poll_url: str, name: str, response: str) -> None:
    page = browser.new_context().new_page()
    join_as_guest(page, server.url, name)
    page.goto(poll_url)
    expect(page.locator("#poll-live")).to_have_attribute("data-live", "open")
    page.get_by_role("radio", name=response).check()
    page.get_by_role("button", name="Vote").click()
    expect(page.locator("#vote-status")).to_contain_text("is in")
    page.context.close()


def test_the_projector_updates_live_at_1080p(
    browser: Browser, live_server: LiveServer, screenshot_dir: Path
) -> None:
    owner = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
    join_as_guest(owner, live_server.url, "Alex Instructor")
    poll_url = create_poll_in_page(
        owner,
        live_server.url,
        "Is the event loop clear now?",
        ["Crystal clear", "Mostly", "Not yet"],
    )
    owner.get_by_role("link", name="Open the projector view").click()
    projector = owner
    projector.set_viewport_size({"width": 1920, "height": 1080})
    expect(projector.locator("#poll-live")).to_have_attribute("data-live", "open")
    expect(projector.locator(".present-qr")).to_be_visible()
    vote_as(browser, live_server, poll_url, "Sam Student", "Mostly")
    expect(projector.locator("[data-choice-id]", has_text="Mostly")).to_have_attribute(
        "data-votes", "1"
    )
    expect(projector.locator("[data-total-votes]")).to_have_attribute("data-total-votes", "1")
    assert not has_scrollbars(projector)
    projector.screenshot(path=screenshot_dir / "present-1080p.png")
    projector.keyboard.press("t")
    expect(projector.locator("body")).to_have_class("present theme-dark")
    projector.screenshot(path=screenshot_dir / "present-1080p-dark.png")


@pytest.mark.parametrize(("width", "height"), [(1920, 1080), (1280, 720)])
def test_twelve_responses_and_300_voters_fit_without_scrollbars(
    browser: Browser,
    live_server_factory: Callable[..., LiveServer],
    tmp_path: Path,
    screenshot_dir: Path,
    width: int,
    height: int,
) -> None:
    data_dir = tmp_path / "seeded"
    slug = seed_poll(data_dir, TWELVE, voters=300)
    server = live_server_factory(data_dir=data_dir)
    page = browser.new_context(viewport={"width": width, "height": height}).new_page()
    page.goto(f"{server.url}/polls/{slug}/present")
    expect(page.locator("[data-total-votes]")).to_have_attribute("data-total-votes", "300")
    # The first voters' pictures (120 for the poll at most), "+ N more" for the others.
    expect(page.locator("img.voter")).to_have_count(avatars_shown(page))
    assert page.locator("img.voter").count() <= 120
    expect(page.locator(".voters-more:visible").first).to_contain_text("more")
    wait_until_it_fits(page)
    assert not has_scrollbars(page)
    last_avatar = box_of(page.locator("img.voter").last)
    assert last_avatar is not None and last_avatar["y"] + last_avatar["height"] <= height
    page.screenshot(path=screenshot_dir / f"present-12x300-{width}x{height}.png")


def test_the_embed_updates_live_and_resizes_inside_another_site(
    browser: Browser,
    live_server: LiveServer,
    host_site: HostSite,
    screenshot_dir: Path,
) -> None:
    owner = browser.new_context().new_page()
    join_as_guest(owner, live_server.url, "Alex")
    poll_url = create_poll_in_page(owner, live_server.url, "Tabs or spaces?", ["Tabs", "Spaces"])
    snippet = owner.locator("#embed-code").input_value()
    host_site.html = f"<!doctype html><title>Course page</title><h1>Week 3</h1>{snippet}"
    course = browser.new_context().new_page()
    course.goto(host_site.url)
    frame = course.frame_locator("iframe")
    expect(frame.locator("#poll-live")).to_have_attribute("data-live", "open")
    # The snippet's script sizes the iframe to what the widget reports (the default is 420).
    course.wait_for_function(
        "() => document.querySelector('iframe').getBoundingClientRect().height < 400"
    )
    height_before = box_of(course.locator("iframe"))["height"]
    vote_as(browser, live_server, poll_url, "Sam", "Spaces")
    expect(frame.locator("[data-choice-id]", has_text="Spaces")).to_have_attribute(
        "data-votes", "1"
    )
    expect(frame.locator("#results-table")).to_contain_text("1")
    assert height_before > 150
    course.screenshot(path=screenshot_dir / "embed-in-course-page.png")
