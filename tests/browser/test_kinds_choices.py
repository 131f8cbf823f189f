"""Pick-several and scale questions in a real browser: the create form switching fields by
kind (instantly with JavaScript, through "Choose" without), a phone voting with boxes and
with one tap on a number, the owner's avatars per pick, the projector's large mean."""

from __future__ import annotations

import os
from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from tests.helpers.browser import box_of, join_as_guest
from tests.helpers.live_server import LiveServer

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 900}
PROJECTOR = {"width": 1920, "height": 1080}
THUMB = 44  # px: the smallest comfortable tap target
SCREENSHOTS_ENV = "CROWDSOURCE_SCREENSHOTS_DIR"
TOOLS = ["Hammer", "Saw", "Drill", "Glue"]


def readme_shot(page: Page, name: str) -> None:
    """scripts/screenshots: the README's picture of this kind."""
    folder = os.environ.get(SCREENSHOTS_ENV)
    if folder:
        page.screenshot(path=Path(folder) / name, animations="disabled", caret="hide")


def person(browser: Browser, server: LiveServer, name: str, viewport: dict[str, int]) -> Page:
    page = browser.new_context(viewport=viewport).new_page()
    join_as_guest(page, server.url, name)
    return page


def create(page: Page, server: LiveServer, kind: str, question: str, **fields: str) -> str:
    """The create form, filled as a person does: the kind first, then its fields."""
    page.goto(f"{server.url}/")
    page.get_by_role("radio", name=kind).check()
    page.get_by_label("Question").fill(question)
    for label, value in fields.items():
        page.get_by_label(label.replace("_", " "), exact=True).fill(value)
    page.get_by_role("button", name="Create poll").click()
    page.wait_for_url("**/polls/*")
    return page.url


def test_the_form_shows_the_kind_s_fields_at_once(
    browser: Browser, live_server: LiveServer, screenshot_dir: Path
) -> None:
    page = person(browser, live_server, "Alex Instructor", LAPTOP)
    page.goto(f"{live_server.url}/")
    expect(page.locator("#choose-kind")).to_be_hidden()  # JavaScript switches by itself
    expect(page.get_by_label("At least")).to_be_hidden()
    page.get_by_role("radio", name="Pick several").check()
    expect(page.get_by_label("At least")).to_be_visible()
    expect(page.get_by_label("Response 1", exact=True)).to_be_visible()
    page.get_by_role("radio", name="A scale").check()
    expect(page.get_by_label("Ends at")).to_be_visible()
    expect(page.get_by_label("Response 1", exact=True)).to_be_hidden()
    expect(page.get_by_label("At least")).to_be_hidden()
    page.get_by_role("radio", name="Pick several").check()
    page.get_by_role("button", name="Add a response").click()
    expect(page.get_by_label("Response 5 is a correct answer")).to_be_visible()
    page.screenshot(path=screenshot_dir / "kind-choices-form.png", full_page=True)


def test_without_javascript_choose_shows_the_kind_s_fields(
    browser: Browser, live_server: LiveServer
) -> None:
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/login?next=/")
    page.get_by_label("Join as a guest: your name").fill("Alex Instructor")
    page.get_by_role("button", name="Join").click()
    page.get_by_label("Question").fill("How loud is the room?")
    expect(page.get_by_label("Ends at")).to_be_hidden()
    page.get_by_role("radio", name="A scale").check()
    page.get_by_role("button", name="Choose").click()
    expect(page.get_by_label("Ends at")).to_be_visible()
    expect(page.get_by_label("Question")).to_have_value("How loud is the room?")
    page.get_by_label("Ends at").fill("7")
    page.get_by_role("button", name="Create poll").click()
    page.wait_for_url("**/polls/*")
    expect(page.locator(".scale-step")).to_have_count(7)


def test_a_phone_picks_several_and_the_owner_sees_each_pick(
    browser: Browser, live_server: LiveServer, screenshot_dir: Path
) -> None:
    owner = person(browser, live_server, "Alex Instructor", LAPTOP)
    page = owner
    page.goto(f"{live_server.url}/")
    page.get_by_role("radio", name="Pick several").check()
    page.get_by_label("Question").fill("Which tools did you use this week?")
    for index, tool in enumerate(TOOLS, start=1):
        page.get_by_label(f"Response {index}", exact=True).fill(tool)
    page.get_by_label("At least").fill("2")
    page.get_by_label("At most").fill("3")
    page.get_by_role("button", name="Create poll").click()
    page.wait_for_url("**/polls/*")
    poll_url = page.url
    phone = person(browser, live_server, "Ada", PHONE)
    phone.goto(poll_url)
    expect(phone.locator("#poll-live")).to_have_attribute("data-live", "open")
    expect(phone.get_by_text("Pick 2 to 3.")).to_be_visible()
    hammer = phone.locator("label.option", has_text="Hammer")
    assert box_of(hammer)["height"] >= THUMB
    phone.get_by_role("checkbox", name="Hammer").check()
    phone.get_by_role("button", name="Vote").click()
    expect(phone.locator("#vote-status")).to_have_text("Pick at least 2 responses.")
    phone.get_by_role("checkbox", name="Drill").check()
    phone.get_by_role("button", name="Vote").click()
    expect(phone.locator("#vote-status.vote-status-ok")).to_be_visible()
    expect(phone.locator("#total-votes")).to_contain_text("of 1 person")
    phone.screenshot(path=screenshot_dir / "kind-choices-phone-multiple.png", full_page=True)
    results = owner.locator("#results")
    expect(results.locator("#total-votes")).to_contain_text("of 1 person")
    expect(owner.locator("img.voter")).to_have_count(2)
    ids = owner.locator("img.voter").evaluate_all("els => els.map(e => e.id)")
    assert len(set(ids)) == 2
    phone.get_by_role("checkbox", name="Hammer").uncheck()
    phone.get_by_role("checkbox", name="Saw").check()
    phone.get_by_role("button", name="Change my vote").click()
    saw = owner.locator('[data-choice-id]:has(.choice-label:text-is("Saw"))')
    expect(saw).to_have_attribute("data-votes", "1")
    expect(saw.locator("img.voter")).to_have_count(1)
    hammer_row = owner.locator('[data-choice-id]:has(.choice-label:text-is("Hammer"))')
    expect(hammer_row.locator("img.voter")).to_have_count(0)
    expect(owner.locator("img.voter")).to_have_count(2)
    owner.screenshot(path=screenshot_dir / "kind-choices-owner-multiple.png", full_page=True)
    readme_shot(phone, "kind-choices-phone-multiple.png")


def test_a_phone_taps_a_number_and_the_projector_shows_the_mean(
    browser: Browser, live_server: LiveServer, screenshot_dir: Path
) -> None:
    owner = person(browser, live_server, "Alex Instructor", LAPTOP)
    owner.goto(f"{live_server.url}/")
    owner.get_by_role("radio", name="A scale").check()
    owner.get_by_label("Question").fill("How confident are you with recursion?")
    owner.locator("input[name='scale_min'][value='0']").check()
    owner.get_by_label("Ends at").fill("10")
    owner.get_by_label("Under the lowest").fill("Lost")
    owner.get_by_label("Under the highest").fill("I could teach it")
    owner.get_by_role("button", name="Create poll").click()
    owner.wait_for_url("**/polls/*")
    poll_url = owner.url
    projector = browser.new_context(viewport=PROJECTOR).new_page()
    projector.goto(f"{poll_url}/present")
    expect(projector.locator("#poll-live")).to_have_attribute("data-live", "open")
    for name, number in (("Ada", "7"), ("Bob", "9")):
        phone = person(browser, live_server, name, PHONE)
        phone.goto(poll_url)
        expect(phone.locator("#poll-live")).to_have_attribute("data-live", "open")
        step = phone.locator(".scale-step", has=phone.get_by_role("radio", name=number))
        box = box_of(step)
        assert box["height"] >= THUMB and box["width"] >= 24, box
        assert box["x"] + box["width"] <= PHONE["width"]  # the whole row fits the phone
        step.click()
        phone.get_by_role("button", name="Vote").click()
        expect(phone.locator("#vote-status.vote-status-ok")).to_be_visible()
    expect(phone.locator(".scale-ends")).to_contain_text("I could teach it")
    phone.screenshot(path=screenshot_dir / "kind-choices-phone-scale.png", full_page=True)
    readme_shot(phone, "kind-choices-phone-scale.png")
    mean = projector.locator(".scale-mean strong")
    expect(mean).to_have_text("8.00")
    expect(projector.locator("#results")).to_have_attribute("data-mean", "8.00")
    expect(projector.locator("#results")).to_have_attribute("data-median", "8.00")
    size = mean.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    assert size >= 60, size  # read from the back of the room
    projector.screenshot(path=screenshot_dir / "kind-choices-projector-scale.png")
    readme_shot(projector, "kind-choices-projector-scale.png")
