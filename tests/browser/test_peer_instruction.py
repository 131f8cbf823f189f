"""Peer instruction in Chromium: four students vote with how sure they are, the owner presses
Vote again, every phone's form resets live, they vote again, and the projector and the owner's
page show round 1 beside round 2 and the shift. Pictures go to
test-results/screenshots/rounds/."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from tests.helpers.browser import join_as_guest, response_row
from tests.helpers.live_server import LiveServer

QUESTION = "A ball is thrown straight up. At the top, its acceleration is…"
ZERO, DOWN, UP = "Zero", "g, downwards", "g, upwards"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1920, "height": 1080}
LIVE = 10_000  # ms


def create_question(page: Page, base_url: str) -> str:
    page.goto(f"{base_url}/")
    page.get_by_label("Question").fill(QUESTION)
    for index, label in enumerate((ZERO, DOWN, UP), start=1):
        page.get_by_label(f"Response {index}", exact=True).fill(label)
    page.get_by_label("Ask “How sure are you?”").check()
    page.get_by_role("button", name="Create poll").click()
    page.wait_for_url("**/polls/*")
    return page.url


def vote(phone: Page, response: str, sure: str) -> None:
    phone.get_by_label(response, exact=True).check()
    phone.get_by_label(sure, exact=True).check()
    phone.get_by_role("button", name="Vote").click()
    expect(phone.locator("#vote-button")).to_have_text("Change my vote", timeout=LIVE)


def test_four_students_vote_discuss_and_vote_again(
    browser: Browser, live_server: LiveServer, screenshot_dir: Path
) -> None:
    pictures = screenshot_dir / "rounds"
    pictures.mkdir(parents=True, exist_ok=True)
    owner = browser.new_context(viewport=DESKTOP).new_page()
    join_as_guest(owner, live_server.url, "Alex Instructor")
    poll_url = create_question(owner, live_server.url)
    projector = browser.new_context(viewport=DESKTOP).new_page()
    projector.goto(poll_url + "/present")
    phones = []
    for name in ("Ana", "Ben", "Cleo", "Dev"):
        phone = browser.new_context(viewport=PHONE).new_page()
        join_as_guest(phone, live_server.url, name)
        phone.goto(poll_url)
        phones.append(phone)
    for phone, (response, sure) in zip(
        phones, ((ZERO, "Sure"), (ZERO, "Unsure"), (DOWN, "Guessing"), (UP, "Sure")), strict=True
    ):
        vote(phone, response, sure)
    expect(response_row(projector, ZERO)).to_have_attribute("data-votes", "2", timeout=LIVE)
    phones[0].screenshot(path=str(pictures / "rounds-phone-round-1.png"), full_page=True)

    owner.get_by_role("button", name="Vote again").click()

    for phone in phones:  # every form is back to "not voted", without a reload
        expect(phone.locator("#vote-button")).to_have_text("Vote", timeout=LIVE)
        for label in (ZERO, DOWN, UP, "Sure", "Unsure", "Guessing"):  # what a person sees
            expect(phone.get_by_label(label, exact=True)).not_to_be_checked()
    expect(projector.locator("#results")).to_have_attribute("data-round", "2", timeout=LIVE)
    expect(response_row(projector, ZERO)).to_have_attribute("data-votes", "0")
    expect(response_row(projector, ZERO)).to_have_attribute("data-votes-previous", "2")
    for phone, (response, sure) in zip(
        phones, ((DOWN, "Sure"), (DOWN, "Sure"), (DOWN, "Unsure"), (UP, "Sure")), strict=True
    ):
        vote(phone, response, sure)
    expect(response_row(projector, DOWN)).to_have_attribute("data-votes", "3", timeout=LIVE)
    shift = projector.locator("#shift")
    expect(shift).to_contain_text("2 changed their mind", timeout=LIVE)
    expect(shift.locator(".voter")).to_have_count(0)  # the projector never names anyone
    owner.reload()
    expect(owner.locator(f"#shift [data-to='{response_id(owner, DOWN)}']")).to_have_count(2)
    expect(owner.locator("#shift .voter")).to_have_count(2)  # Ana and Ben moved: avatars
    expect(response_row(owner, DOWN)).to_have_attribute("data-confidence-sure", "2")
    owner.locator("#results").screenshot(path=str(pictures / "rounds-owner-shift.png"))
    projector.screenshot(path=str(pictures / "rounds-projector.png"))
    phones[2].screenshot(path=str(pictures / "rounds-phone-round-2.png"), full_page=True)


def response_id(page: Page, label: str) -> str:
    return str(response_row(page, label).get_attribute("data-choice-id"))
