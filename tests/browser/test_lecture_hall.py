"""The first minute in a real lecture hall (issue 21), on the screens the room looks at: a
projector at 1920x1080 and 1280x720 with the longest question and twelve longest responses,
the countdown in both themes, hidden results, and the owner's controls within reach."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from crowdsource.domain.models import CHOICE_MAX, QUESTION_MAX
from crowdsource.domain.poll_input import MAX_CHOICES
from tests.helpers.browser import (
    avatars_shown,
    box_of,
    create_poll_in_page,
    join_as_guest,
    local_time_in,
)
from tests.helpers.live_server import LiveServer
from tests.helpers.screen import (
    FITS_FOR_MESSAGES,
    contrast,
    off_screen,
    wait_until_on_screen,
)
from tests.helpers.seed import seed_poll

LONGEST_QUESTION = (
    "Thinking about what we covered today on recursion, the call stack, tail calls and "
    "memoisation, and the trade-offs between iterative and recursive solutions in languages "
    "without tail-call optimisation, which of these statements comes closest to when you "
    "would choose recursion over a loop in our code?"
).ljust(QUESTION_MAX, "?")
LONGEST_RESPONSES = [
    f"{n:02d}. When the data is a tree or a graph of bounded depth, so the stack cannot "
    "overflow and the code stays short and clear".ljust(CHOICE_MAX, ".")
    for n in range(1, MAX_CHOICES + 1)
]
# Everything the room needs, and the box that clips each.
WHOLE_SCREEN = [
    ("#poll-question", ".present-live"),
    ("#poll-meta", ".present-live"),
    (".countdown", ".present-live"),
    (".choice", ".present-results"),
    (".choice-label", ".present-results"),
    (".present-qr", ".present-join"),
    (".present-link", ".present-join"),
]
SCREENSHOTS_ENV = "CROWDSOURCE_SCREENSHOTS_DIR"
LAPTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
MIN_CONTRAST = 4.5


def serve_the_longest_poll(
    live_server_factory: Callable[..., LiveServer], tmp_path: Path
) -> tuple[LiveServer, str]:
    """A server of its own with the longest poll, open for an hour, 60 voters: its slug."""
    slug = seed_poll(
        tmp_path / "seeded",
        LONGEST_RESPONSES,
        voters=60,
        question=LONGEST_QUESTION,
        closes_at=datetime.now(UTC) + timedelta(hours=1),
    )
    return live_server_factory(data_dir=tmp_path / "seeded"), slug


def test_the_longest_poll_is_allowed_at_its_limits() -> None:
    assert len(LONGEST_QUESTION) == QUESTION_MAX
    assert {len(response) for response in LONGEST_RESPONSES} == {CHOICE_MAX}


@pytest.mark.parametrize(("width", "height"), [(1920, 1080), (1280, 720)])
@pytest.mark.parametrize("theme", ["light", "dark"])
def test_the_longest_poll_fits_the_projector_whole(
    browser: Browser,
    live_server_factory: Callable[..., LiveServer],
    tmp_path: Path,
    screenshot_dir: Path,
    width: int,
    height: int,
    theme: str,
) -> None:
    server, slug = serve_the_longest_poll(live_server_factory, tmp_path)
    page = browser.new_context(viewport={"width": width, "height": height}).new_page()
    page.goto(f"{server.url}/polls/{slug}/present?theme={theme}")
    expect(page.locator("[data-total-votes]")).to_have_attribute("data-total-votes", "60")
    expect(page.locator("img.voter")).to_have_count(avatars_shown(page))
    expect(page.locator(".countdown")).to_be_visible()
    wait_until_on_screen(page, WHOLE_SCREEN)
    assert off_screen(page, WHOLE_SCREEN) == []
    # Shrunk to fit, not to nothing: the responses stay readable from the room.
    label = page.locator(".choice-label").first.evaluate(
        "e => parseFloat(getComputedStyle(e).fontSize)"
    )
    assert label >= 12
    page.screenshot(path=screenshot_dir / f"present-longest-{width}x{height}-{theme}.png")
    readme = os.environ.get(SCREENSHOTS_ENV)  # scripts/screenshots: the README's picture
    if readme and (width, theme) == (1920, "light"):
        shot = {"animations": "disabled", "caret": "hide"}
        page.screenshot(path=Path(readme) / "projector-long-question.png", **shot)


def test_a_burst_of_live_messages_refits_the_projector_once(
    browser: Browser,
    live_server_factory: Callable[..., LiveServer],
    tmp_path: Path,
) -> None:
    """A fit lays a large page out tens of times: fitting after every message of a burst
    (200 answers in a few seconds) left a projector tens of seconds behind the room."""
    server, slug = serve_the_longest_poll(live_server_factory, tmp_path)
    page = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
    page.goto(f"{server.url}/polls/{slug}/present")
    expect(page.locator("#poll-live")).to_have_attribute("data-live", "open")
    expect(page.locator("[data-total-votes]")).to_have_attribute("data-total-votes", "60")
    page.wait_for_timeout(300)  # the socket's first messages are in
    before_paint, one = page.evaluate(FITS_FOR_MESSAGES, 1)
    assert before_paint == 0  # not in the message's own turn: before the next paint
    assert one > 0
    assert page.evaluate(FITS_FOR_MESSAGES, 20) == [0, one]  # twenty messages, one fit
    wait_until_on_screen(page, WHOLE_SCREEN)
    assert off_screen(page, WHOLE_SCREEN) == []


def countdown_contrast(page: Page) -> float:
    countdown = page.locator(".countdown").first
    expect(countdown).to_be_visible()
    return contrast(countdown)


@pytest.mark.timeout(180)
def test_the_countdown_is_legible_in_both_themes_to_its_last_seconds(
    browser: Browser, live_server: LiveServer, screenshot_dir: Path
) -> None:
    owner = browser.new_context(viewport=LAPTOP).new_page()
    join_as_guest(owner, live_server.url, "Alex Instructor")
    soon = local_time_in(owner, 25)
    poll_url = create_poll_in_page(
        owner, live_server.url, "Last call?", ["Yes", "No"], closes_at=soon
    )
    screens = {}
    for view in ("present", "embed"):
        for theme in ("light", "dark"):
            page = browser.new_context(viewport={"width": 1280, "height": 720}).new_page()
            page.goto(f"{poll_url}/{view}?theme={theme}")
            screens[f"{view} {theme}"] = page
    screens["poll page"] = owner
    measured = {name: countdown_contrast(page) for name, page in screens.items()}
    assert all(ratio >= MIN_CONTRAST for ratio in measured.values()), measured
    big = (
        screens["present dark"]
        .locator(".countdown")
        .evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    )
    assert big >= 30  # large on a 1280x720 projector
    # The last ten seconds are marked, and still legible.
    for name, page in screens.items():
        expect(page.locator(".countdown.countdown-final").first).to_be_visible(timeout=40_000)
        measured[name] = countdown_contrast(page)
    assert all(ratio >= MIN_CONTRAST for ratio in measured.values()), measured
    screens["present dark"].screenshot(path=screenshot_dir / "countdown-final-dark.png")


def test_hidden_results_count_voters_on_the_projector_and_the_owner_is_told(
    browser: Browser, live_server: LiveServer, screenshot_dir: Path
) -> None:
    owner = browser.new_context(viewport=LAPTOP).new_page()
    join_as_guest(owner, live_server.url, "Alex Instructor")
    poll_url = create_poll_in_page(
        owner,
        live_server.url,
        "Which sort is stable?",
        ["Merge sort", "Heapsort"],
        pick=("Everyone once voting closes",),
    )
    expect(owner.locator("#room-view-note")).to_contain_text("Only you see this")
    projector = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
    projector.goto(f"{poll_url}/present?theme=dark")
    count = projector.locator("#voted-count")
    expect(count).to_have_text("0 have voted")
    student = browser.new_context(viewport=PHONE).new_page()
    student.goto(poll_url)
    student.get_by_role("radio", name="Merge sort").check()
    student.get_by_label("Your name").fill("Sam Student")
    student.get_by_role("button", name="Vote").click()
    expect(count).to_have_text("1 has voted")
    assert contrast(count) >= MIN_CONTRAST
    assert contrast(projector.locator(".results-hidden")) >= MIN_CONTRAST
    expect(projector.locator("[data-votes]")).to_have_count(0)
    projector.screenshot(path=screenshot_dir / "present-hidden-dark.png")
    owner.get_by_role("button", name="Reveal results to everyone").click()
    expect(projector.locator('[data-choice-id][data-votes="1"]')).to_contain_text("Merge sort")
    expect(owner.locator("#room-view-note")).to_have_text(
        "Only you see who voted what Everyone else sees the counts, without names or pictures."
    )  # still true: the voters stay the owner's


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["laptop", "phone"])
def test_the_owner_s_controls_stay_in_reach_as_votes_pour_in(
    browser: Browser, live_server: LiveServer, screenshot_dir: Path, viewport: dict[str, int]
) -> None:
    owner = browser.new_context(viewport=viewport).new_page()
    join_as_guest(owner, live_server.url, "Alex Instructor")
    poll_url = create_poll_in_page(
        owner, live_server.url, LONGEST_QUESTION, LONGEST_RESPONSES[:4], closes="In 5 minutes"
    )
    close = owner.get_by_role("button", name="Close voting now")
    bar = ["Close voting now", "+1 min", "+5 min", "Projector", "Copy link"]
    for name in bar:
        expect(
            owner.get_by_role("navigation", name="Poll controls").get_by_text(name)
        ).to_be_in_viewport()
    before = box_of(close)
    for n in range(3):
        student = browser.new_context(viewport=PHONE).new_page()
        student.goto(poll_url)
        student.locator(".option").nth(n).click()
        student.get_by_label("Your name").fill(f"Student {n}")
        student.get_by_role("button", name="Vote").click()
        expect(owner.locator("[data-total-votes]")).to_have_attribute(
            "data-total-votes", str(n + 1)
        )
        student.context.close()
    assert box_of(close) == before  # it does not move as votes arrive
    expect(close).to_be_in_viewport()
    owner.screenshot(path=screenshot_dir / f"owner-bar-{viewport['width']}.png")
    owner.get_by_role("button", name="+1 min").click()
    expect(owner.locator("#owner-status")).to_contain_text("Voting now closes at")
    close.click()
    expect(owner.locator("#results")).to_have_attribute("data-state", "closed")
    expect(owner.get_by_role("button", name="Reopen 1 min")).to_be_in_viewport()


def test_the_owner_runs_the_poll_from_the_projector_s_keyboard(
    browser: Browser, live_server: LiveServer
) -> None:
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    owner = context.new_page()
    join_as_guest(owner, live_server.url, "Alex Instructor")
    poll_url = create_poll_in_page(
        owner,
        live_server.url,
        "Ready for the quiz?",
        ["Yes", "No"],
        closes="In 5 minutes",
        pick=("Each person after they vote",),
    )
    projector = context.new_page()
    projector.goto(f"{poll_url}/present")
    expect(projector.locator("#poll-live")).to_have_attribute("data-live", "open")
    expect(projector.locator(".present-keys")).to_contain_text("c close")
    loaded = projector.evaluate("performance.timeOrigin")
    ends = projector.locator("[data-countdown]").get_attribute("data-countdown")
    projector.keyboard.press("+")
    expect(projector.locator("[data-countdown]")).not_to_have_attribute(
        "data-countdown", ends or ""
    )
    projector.keyboard.press("r")
    expect(projector.locator("[data-total-votes]")).to_have_attribute("data-total-votes", "0")
    projector.keyboard.press("c")
    expect(projector.locator("#results")).to_have_attribute("data-state", "closed")
    assert projector.evaluate("performance.timeOrigin") == loaded  # never left the page
    visitor = browser.new_context().new_page()
    visitor.goto(f"{poll_url}/present")
    expect(visitor.locator("[data-owner-key]")).to_have_count(0)
