"""Issue 17 in Chromium: the host console's roster greys out each student until they
answer, live, and a student off the roster is told who may vote. The README's picture
docs/screenshots/roster-host.png comes from here (1920 by 1080)."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.helpers.browser import host_with_room, join_as_guest
from tests.helpers.live_server import LiveServer

LIVE = 10_000


@pytest.fixture
def github_people() -> dict[str, str]:
    return {"sam-student": "Sam Student", "mei-chen": "Mei Chen", "eve-outsider": "Eve"}


def student(browser: Browser, server: LiveServer, code: str, login: str) -> Page:
    page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    page.goto(f"{server.url}/login?next=/r/{code}")
    page.get_by_role("link", name="Sign in with GitHub").click()
    page.get_by_role("button", name=f"Authorize as {login}").click()
    expect(page).to_have_url(f"{server.url}/r/{code}")
    return page


def test_the_console_greys_out_avatars_until_students_answer(
    browser: Browser, github_app: LiveServer, pictures: Path
) -> None:
    host = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
    join_as_guest(host, github_app.url, "Alex Instructor", "/rooms")
    host.get_by_label("Name of the new room").fill("CS 101 — Spring")
    host.get_by_text("Only my class votes (roster)").click()
    logins = ["sam-student", "mei-chen", "raj-patel", "lin-wu", "ola-nordmann", "kofi-mensah"]
    host.get_by_label("Logins, one per line").fill("\n".join(logins))
    host.get_by_role("button", name="Create room").click()
    code = host.locator("[data-room-code]").first.get_attribute("data-room-code")
    assert code
    host.locator("[data-preset]").first.click()
    roster = host.locator("#roster")
    expect(roster).to_contain_text("0 of 6 answered")
    expect(host.locator('#roster [data-answered="false"]')).to_have_count(6)
    sam, mei = (student(browser, github_app, code, login) for login in ("sam-student", "mei-chen"))
    for page in (sam, mei):
        page.locator('#vote-form input[name="choice"]').first.check()
        page.locator("#vote-form").get_by_role("button").click()
        expect(page.locator("#vote-status")).to_contain_text("is in")
    expect(roster).to_contain_text("2 of 6 answered", timeout=LIVE)
    expect(host.locator('#roster [data-member="sam-student"]')).to_have_attribute(
        "data-answered", "true"
    )
    expect(host.locator('#roster [data-member="raj-patel"]')).to_have_attribute(
        "data-answered", "false"
    )
    greyed = host.locator('#roster [data-member="raj-patel"] img')
    assert "grayscale" in greyed.evaluate("img => getComputedStyle(img).filter")
    expect(host.locator("#roster-missing-logins")).to_have_value(
        "kofi-mensah lin-wu ola-nordmann raj-patel"
    )
    members = "els => els.map(e => e.dataset.member + ':' + e.dataset.answered)"
    live = host.locator("#roster [data-member]").evaluate_all(members)
    fresh = host.context.new_page()  # what the console shows when loaded now
    fresh.goto(host.url)
    assert live == fresh.locator("#roster [data-member]").evaluate_all(members)
    assert roster.inner_text() == fresh.locator("#roster").inner_text()
    fresh.close()
    roster.scroll_into_view_if_needed()
    host.screenshot(path=pictures / "roster-host.png", animations="disabled", caret="hide")
    eve = student(browser, github_app, code, "eve-outsider")
    eve.locator('#vote-form input[name="choice"]').first.check()
    eve.locator("#vote-form").get_by_role("button").click()
    expect(eve.locator("#vote-status")).to_contain_text("Only this class votes here")
    expect(roster).to_contain_text("2 of 6 answered")


def test_a_vote_from_a_page_without_javascript_adds_one_row_to_the_console(
    browser: Browser, live_server: LiveServer, screenshot_dir: Path
) -> None:
    """A room without roster lists who opened the question and who answered. A student
    whose page has no live connection (no JavaScript here; another process alike) is new
    to the console when they vote: their row is added where the order wants it, the panel
    is not sent again, and htmx finds every element the change names."""
    host, code = host_with_room(browser, live_server.url)
    host.locator("[data-preset]").first.click()
    roster = host.locator("#roster")
    for name in ("Ada", "Zed"):
        page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
        join_as_guest(page, live_server.url, name, f"/r/{code}")
        page.locator('#vote-form input[name="choice"]').first.check()
        page.locator("#vote-form").get_by_role("button").click()
        expect(page.locator("#vote-status")).to_contain_text("is in")
    expect(roster).to_contain_text("2 of 2 answered", timeout=LIVE)
    host.evaluate(
        """() => {
            window.missedTargets = [];
            document.body.addEventListener('htmx:oobErrorNoTarget',
                event => window.missedTargets.push(event.detail.content.id));
            document.getElementById('roster').keptSinceNow = true;
        }"""
    )
    phone = browser.new_context(java_script_enabled=False).new_page()
    join_as_guest(phone, live_server.url, "Mei", f"/r/{code}")
    phone.locator('#vote-form input[name="choice"]').first.check()
    phone.locator("#vote-form").get_by_role("button").click()
    expect(phone.locator("#vote-status")).to_contain_text("is in")
    expect(roster).to_contain_text("3 of 3 answered", timeout=LIVE)
    members = "els => els.map(e => e.dataset.member + ':' + e.dataset.answered)"
    live = host.locator("#roster [data-member]").evaluate_all(members)
    assert len(live) == 3 and all(entry.endswith(":true") for entry in live)
    fresh = host.context.new_page()
    fresh.goto(host.url)
    assert live == fresh.locator("#roster [data-member]").evaluate_all(members)
    fresh.close()
    assert host.evaluate("document.getElementById('roster').keptSinceNow") is True
    assert host.evaluate("window.missedTargets") == []
    roster.scroll_into_view_if_needed()
    host.screenshot(path=screenshot_dir / "roster-newcomer-host.png", animations="disabled")
