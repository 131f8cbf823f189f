"""A quiz in Chromium: the owner sees the answer from the start, the projector and a student's
phone do not; the owner presses Reveal answer and, without a reload, the projector marks the
correct bar and the student's phone says whether they were right. The pictures go to
test-results/screenshots/quiz/ (kind-quiz-*.png)."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Browser, Locator, Page, expect

from tests.helpers.browser import join_as_guest, response_row
from tests.helpers.live_server import LiveServer

QUESTION = "Which planet is the largest?"
MARS, JUPITER, VENUS = "Mars", "Jupiter", "Venus"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1920, "height": 1080}
LIVE = 10_000  # ms


def create_quiz(page: Page, base_url: str) -> str:
    """The create form, with the second response marked correct (the form's own checkboxes
    are another part of issue 15: a field of the same name stands in for them)."""
    page.goto(f"{base_url}/")
    page.get_by_label("Question").fill(QUESTION)
    for index, label in enumerate((MARS, JUPITER, VENUS), start=1):
        page.get_by_label(f"Response {index}", exact=True).fill(label)
    page.evaluate(
        """() => { const field = document.createElement("input");
        Object.assign(field, {type: "hidden", name: "correct", value: "2"});
        document.querySelector("form[action='/polls']").append(field); }"""
    )
    page.get_by_role("button", name="Create poll").click()
    page.wait_for_url("**/polls/*")
    return page.url


def said(locator: Locator) -> str:
    return " ".join(locator.inner_text().split())


def no_answer_on(page: Page) -> None:
    expect(page.locator("[data-correct]")).to_have_count(0)
    assert "correct" not in page.content().lower()


def test_the_answer_stays_secret_until_the_owner_reveals_it(
    browser: Browser, live_server: LiveServer, screenshot_dir: Path
) -> None:
    pictures = screenshot_dir / "quiz"
    pictures.mkdir(parents=True, exist_ok=True)
    owner_context = browser.new_context(viewport=DESKTOP)
    owner = owner_context.new_page()
    join_as_guest(owner, live_server.url, "Alex Instructor")
    poll_url = create_quiz(owner, live_server.url)
    expect(response_row(owner, JUPITER)).to_have_attribute("data-correct", "true")
    expect(response_row(owner, JUPITER)).to_contain_text("✓ correct")
    expect(response_row(owner, MARS)).not_to_have_attribute("data-correct", "true")

    projector = owner_context.new_page()  # the owner's own laptop, on the wall
    projector.goto(f"{poll_url}/present")
    expect(projector.locator("#poll-live")).to_have_attribute("data-live", "open")

    student = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True).new_page()
    join_as_guest(student, live_server.url, "Sam Student")
    student.goto(poll_url)
    expect(student.locator("#poll-live")).to_have_attribute("data-live", "open")
    student.get_by_role("radio", name=MARS).tap()
    student.get_by_role("button", name="Vote").tap()
    expect(student.locator("#vote-status")).to_contain_text("Your vote for “Mars” is in.")
    expect(response_row(projector, MARS)).to_have_attribute("data-votes", "1")
    no_answer_on(student)
    no_answer_on(projector)
    owner.screenshot(path=pictures / "kind-quiz-owner-before.png")
    student.screenshot(path=pictures / "kind-quiz-phone-before.png", full_page=True)

    owner.get_by_role("button", name="Reveal answer").click()

    expect(owner.locator("#owner-status")).to_contain_text("The answer is shown on every screen.")
    verdict = student.locator("#quiz-verdict")
    expect(verdict).to_have_attribute("data-verdict", "incorrect", timeout=LIVE)
    assert said(verdict) == "✗ You chose Mars — the answer was Jupiter."
    expect(response_row(student, JUPITER)).to_have_attribute("data-correct", "true")
    expect(response_row(projector, JUPITER)).to_have_attribute("data-correct", "true")
    expect(response_row(projector, JUPITER)).to_contain_text("✓ correct")
    expect(projector.locator("[data-correct]")).to_have_count(1)

    student.get_by_role("radio", name=JUPITER).tap()
    student.get_by_role("button", name="Vote").tap()
    expect(verdict).to_have_attribute("data-verdict", "correct", timeout=LIVE)
    assert said(verdict) == "✓ You chose Jupiter — correct."
    expect(response_row(projector, JUPITER)).to_have_attribute("data-votes", "1")
    projector.wait_for_timeout(500)  # let the bars settle before the picture
    student.screenshot(path=pictures / "kind-quiz-phone.png", full_page=True)
    projector.screenshot(path=pictures / "kind-quiz-projector.png")
    owner.screenshot(path=pictures / "kind-quiz-owner.png", full_page=True)
