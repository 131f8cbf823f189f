"""Two people, two browsers: a click in one moves the other's results without a reload."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Browser, Page, WebSocketRoute, expect

from tests.helpers.browser import create_poll_in_page, join_as_guest, local_time_in
from tests.helpers.live_server import LiveServer

# What static/js/avatar_motion.js does to the page's avatars, in order: the animations
# it starts (a class added to an img.voter), into window.avatarMotion.
RECORD_AVATAR_MOTION = """() => {
  window.avatarMotion = [];
  new MutationObserver((records) => {
    for (const record of records) {
      const added = ["voter-enter", "voter-moving"].filter(
        (name) => record.target.classList.contains(name) &&
          !(record.oldValue || "").split(" ").includes(name));
      window.avatarMotion.push(...added);
    }
  }).observe(document.body, {
    subtree: true, attributes: true, attributeFilter: ["class"], attributeOldValue: true
  });
}"""


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

    owner.evaluate(RECORD_AVATAR_MOTION)
    student.get_by_role("radio", name="while").check()
    student.get_by_role("button", name="Vote").click()
    expect(student.locator("#vote-status")).to_contain_text("Your vote for “while” is in.")

    while_row = owner.locator("[data-choice-id]", has_text="while")
    expect(while_row).to_have_attribute("data-votes", "1")
    expect(owner.locator("[data-total-votes]")).to_have_attribute("data-total-votes", "1")
    expect(while_row.locator("img.voter")).to_have_attribute("alt", "Sam Student (guest)")
    expect(while_row.locator(".choice-pct")).to_have_text("100%")

    student.get_by_role("radio", name="recursion").check()
    student.get_by_role("button", name="Vote").click()
    recursion_row = owner.locator("[data-choice-id]", has_text="recursion")
    expect(recursion_row.locator("img.voter")).to_have_count(1)
    expect(while_row.locator("img.voter")).to_have_count(0)
    expect(while_row).to_have_attribute("data-votes", "0")
    expect(owner.locator("[data-total-votes]")).to_have_attribute("data-total-votes", "1")
    assert owner.locator("img.voter").count() == 1
    # The new avatar popped in; on the change of mind it slid from its old row.
    motion = owner.evaluate("window.avatarMotion")  # a later message may carry it on
    assert motion[0] == "voter-enter" and set(motion[1:]) == {"voter-moving"}, motion
    owner.wait_for_timeout(800)  # let the avatar land before the picture
    owner.screenshot(path=screenshot_dir / "live-owner-1080p.png")
    student.screenshot(path=screenshot_dir / "live-student-phone.png", full_page=True)


def watchers(browser: Browser, poll_url: str, count: int = 2) -> list[Page]:
    pages = []
    for _ in range(count):
        page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
        page.goto(poll_url)
        expect(page.locator("#poll-live")).to_have_attribute("data-live", "open")
        pages.append(page)
    return pages


def test_closing_now_flips_every_watching_page(browser: Browser, live_server: LiveServer) -> None:
    owner = browser.new_context().new_page()
    join_as_guest(owner, live_server.url, "Alex")
    poll_url = create_poll_in_page(owner, live_server.url, "Done?", ["Yes", "No"])
    viewers = watchers(browser, poll_url)
    owner.get_by_role("button", name="Close voting now").click()
    for viewer in viewers:
        expect(viewer.locator("#results")).to_have_attribute("data-state", "closed")
        expect(viewer.locator("#vote-panel")).to_contain_text("Voting closed.")


def test_the_end_time_closes_every_watching_page_by_itself(
    browser: Browser, live_server: LiveServer, screenshot_dir: Path
) -> None:
    owner = browser.new_context().new_page()
    join_as_guest(owner, live_server.url, "Alex")
    # Long enough for the watchers to open first on a busy machine: the test must see the
    # poll open, then closed by the timer alone.
    soon = local_time_in(owner, 10)
    create_poll_in_page(owner, live_server.url, "Quick check", ["Yes", "No"], closes_at=soon)
    viewers = watchers(browser, owner.url)
    expect(viewers[0].locator("#results")).to_have_attribute("data-state", "open")
    for viewer in [owner, *viewers]:
        expect(viewer.locator("#results")).to_have_attribute("data-state", "closed", timeout=20_000)
        expect(viewer.locator("#poll-meta")).to_contain_text("Voting closed")
    expect(viewers[0].locator("#vote-form")).to_have_count(0)
    viewers[0].screenshot(path=screenshot_dir / "closed-by-timer-phone.png", full_page=True)


def test_a_dropped_connection_says_so_and_clears_when_it_is_back(
    browser: Browser, live_server: LiveServer, screenshot_dir: Path
) -> None:
    owner = browser.new_context().new_page()
    join_as_guest(owner, live_server.url, "Alex")
    poll_url = create_poll_in_page(owner, live_server.url, "Still with me?", ["Yes", "No"])
    (viewer,) = watchers(browser, poll_url, count=1)
    notice = viewer.get_by_role("status").filter(has_text="Reconnecting")
    expect(notice).to_be_hidden()

    live_server.stop()  # the server restarts (close 1012), or the Wi-Fi drops
    expect(notice).to_be_visible(timeout=10_000)
    expect(notice).to_have_text("Reconnecting… the results shown may be behind.")
    viewer.screenshot(path=screenshot_dir / "reconnecting-phone.png")
    # However long the outage has lasted, the next try is at most 8 s away (the ws
    # extension's own delay grows to 64 s, which outlasted this test's wait on CI), and the
    # tries are spread out rather than all at once.
    delays = viewer.evaluate(
        "() => Array.from({length: 400}, (_, i) => htmx.config.wsReconnectDelay(i % 16))"
    )
    assert max(delays) <= 8000
    assert len(set(delays)) > 300

    live_server.start()
    expect(notice).to_be_hidden(timeout=20_000)
    expect(viewer.locator("#poll-live")).to_have_attribute("data-live", "open")
    owner.reload()
    owner.get_by_role("radio", name="Yes").check()
    owner.get_by_role("button", name="Vote").click()
    expect(viewer.locator("[data-total-votes]")).to_have_attribute("data-total-votes", "1")


def test_a_proxy_draining_with_1001_is_a_reconnect_too(
    browser: Browser, live_server: LiveServer
) -> None:
    """htmx's ws extension retries on 1006/1011/1012/1013 only; proxies that drain (nginx,
    Fly) close with 1001 "going away", which static/js/live.js turns into a reconnect as well."""
    owner = browser.new_context().new_page()
    join_as_guest(owner, live_server.url, "Alex")
    poll_url = create_poll_in_page(owner, live_server.url, "Proxies?", ["Fine", "Scary"])

    viewer = browser.new_context().new_page()
    connections: list[WebSocketRoute] = []

    def through_the_proxy(socket: WebSocketRoute) -> None:
        socket.connect_to_server()  # pass every message through, both ways
        connections.append(socket)

    viewer.route_web_socket(re.compile(r"/ws$"), through_the_proxy)
    viewer.goto(poll_url)
    live = viewer.locator("#poll-live")
    expect(live).to_have_attribute("data-live", "open")
    assert len(connections) == 1

    connections[0].close(code=1001, reason="going away")  # the proxy drains
    expect(live).to_have_attribute("data-live", "closed")
    expect(live).to_have_attribute("data-live", "open", timeout=10_000)
    assert len(connections) == 2
    owner.get_by_role("radio", name="Scary").check()
    owner.get_by_role("button", name="Vote").click()
    expect(viewer.locator("[data-total-votes]")).to_have_attribute("data-total-votes", "1")
