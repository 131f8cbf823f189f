"""Issue 17's room report in Chromium at a term's size (120 students by 40 questions): the
names and the header stay in view while the table scrolls inside its box, never the page.
The README's picture docs/screenshots/room-report.png comes from here (1920 by 1080)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Browser, expect

from tests.helpers.browser import host_with_room
from tests.helpers.live_server import LiveServer
from tests.helpers.report_seed import seed_term


def test_the_report_reads_at_120_students_by_40_questions(
    browser: Browser,
    live_server_factory: Callable[..., LiveServer],
    tmp_path: Path,
    pictures: Path,
    screenshot_dir: Path,
) -> None:
    data = tmp_path / "site"
    server = live_server_factory(data)
    host, code = host_with_room(browser, server.url)
    seed_term(data, code)
    host.goto(f"{server.url}/r/{code}/host")
    host.get_by_role("link", name="Report: who answered").click()
    expect(host.get_by_role("heading", level=1)).to_contain_text("who answered")
    expect(host.locator("#room-report tbody tr")).to_have_count(120)
    expect(host.locator("#room-report thead .report-q")).to_have_count(40)
    expect(host.locator("#room-report tbody tr").first).to_contain_text("Ada")
    page_width = host.evaluate("document.documentElement.scrollWidth")
    assert page_width <= 1920  # the box scrolls, not the page
    box = host.locator(".report-scroll")
    box.evaluate("box => box.scrollTo(400, 600)")
    name = host.locator("#room-report tbody tr .report-name").nth(30)
    header = host.locator("#room-report thead th").nth(5)
    box_at = box.bounding_box()
    assert box_at and name.bounding_box() and header.bounding_box()
    assert abs(header.bounding_box()["y"] - box_at["y"]) < 4  # type: ignore[index]
    box.evaluate("box => box.scrollTo(0, 0)")
    host.get_by_role("link", name="by answer rate").click()
    expect(host.locator("main [aria-current=true]")).to_have_text("by answer rate")
    expect(host.locator("#room-report tbody tr").last).to_contain_text("%")
    off = host.locator("#room-report tbody tr", has_text="not on the roster")
    expect(off).to_have_count(2)
    host.goto(f"{server.url}/r/{code}/report")
    host.screenshot(path=str(pictures / "room-report.png"))
    phone = browser.new_context(
        viewport={"width": 390, "height": 844}, storage_state=host.context.storage_state()
    ).new_page()
    phone.goto(f"{server.url}/r/{code}/report?sort=correct")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    expect(phone.locator("#room-report tbody tr").first).to_be_visible()
    phone.screenshot(path=str(screenshot_dir / "room-report-phone.png"))
