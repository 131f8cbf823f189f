"""The first minute in a real lecture hall (issue 21), on the phones and the laptop: one
submit to vote from a QR code, the button that follows the vote, no second vote by signing
out, a pick that does not vanish silently, and a create form that keeps what is typed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from crowdsource.domain.models import CHOICE_MAX, QUESTION_MAX
from tests.helpers.browser import create_poll_in_page, join_as_guest
from tests.helpers.live_server import LiveServer
from tests.helpers.sites import HostSite

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
LAPTOP = {"width": 1440, "height": 900}
RESPONSES = ["Merge sort", "Quicksort", "Heapsort"]


def owner_with_poll(
    browser: Browser, server: LiveServer, question: str = "Which is stable?"
) -> tuple[Page, str]:
    owner = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
    join_as_guest(owner, server.url, "Alex Instructor")
    return owner, create_poll_in_page(owner, server.url, question, RESPONSES)


def signed_in_student(browser: Browser, server: LiveServer, poll_url: str, name: str) -> Page:
    """A student who joined as a guest first, on the poll's live page on a phone."""
    student = browser.new_context(**PHONE).new_page()
    join_as_guest(student, server.url, name)
    student.goto(poll_url)
    expect(student.locator("#poll-live")).to_have_attribute("data-live", "open")
    return student


def loaded_at(page: Page) -> float:
    return page.evaluate("performance.timeOrigin")


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_student_scans_the_qr_code_and_votes_in_one_submit_on_a_phone(
    browser: Browser, live_server: LiveServer, screenshot_dir: Path, javascript: bool
) -> None:
    owner, poll_url = owner_with_poll(browser, live_server)
    phone = browser.new_context(java_script_enabled=javascript, **PHONE).new_page()
    phone.goto(poll_url)  # straight from the QR code: no sign-in page in between
    phone.get_by_role("radio", name="Quicksort").tap()
    phone.get_by_label("Your name").fill("Mei Chen")
    phone.screenshot(
        path=screenshot_dir / f"one-submit-phone-{'js' if javascript else 'nojs'}.png",
        full_page=True,
    )
    phone.get_by_role("button", name="Vote").tap()
    expect(phone).to_have_url(poll_url)
    expect(phone.locator("#vote-status")).to_have_text("Your vote for “Quicksort” is in.")
    expect(phone.get_by_role("button", name="Change my vote")).to_be_visible()
    expect(phone.locator(".whoami")).to_contain_text("Mei Chen")
    expect(phone.get_by_role("radio", name="Quicksort")).to_be_checked()
    row = owner.locator("[data-choice-id]", has_text="Quicksort")
    expect(row).to_have_attribute("data-votes", "1")  # live on the instructor's page
    expect(row.locator("img.voter")).to_have_attribute("alt", "Mei Chen (guest)")


def test_a_forgotten_name_keeps_the_pick_and_the_name_is_remembered_on_the_phone(
    browser: Browser, live_server: LiveServer
) -> None:
    _, poll_url = owner_with_poll(browser, live_server)
    context = browser.new_context(**PHONE)
    phone = context.new_page()
    phone.goto(poll_url)
    phone.get_by_role("radio", name="Heapsort").tap()
    name = phone.get_by_label("Your name")
    name.evaluate("input => input.removeAttribute('required')")  # past the browser's own check
    phone.get_by_role("button", name="Vote").tap()
    expect(phone.locator("#vote-status")).to_have_text("Tell us a name to show next to your vote.")
    expect(phone.get_by_role("radio", name="Heapsort")).to_be_checked()
    phone.get_by_label("Your name").fill("Tomás Silva")
    phone.get_by_role("button", name="Vote").tap()
    expect(phone.locator("#vote-status")).to_contain_text("is in")
    second = context.new_page()  # the next poll, on the same phone: the name is filled in
    second.goto(f"{live_server.url}/login")
    expect(second.get_by_label("Join as a guest: your name")).to_have_value("Tomás Silva")


def test_after_a_live_vote_the_button_says_change_my_vote_without_a_reload(
    browser: Browser, live_server: LiveServer
) -> None:
    _, poll_url = owner_with_poll(browser, live_server)
    student = signed_in_student(browser, live_server, poll_url, "Jordan Lee")
    loaded = loaded_at(student)
    student.get_by_role("radio", name="Merge sort").tap()
    student.get_by_role("button", name="Vote").tap()
    expect(student.locator("#vote-status")).to_have_text("Your vote for “Merge sort” is in.")
    expect(student.locator("#vote-form").get_by_role("button")).to_have_text("Change my vote")
    assert loaded_at(student) == loaded  # live, not a reload


def sign_out_from_the_header(page: Page) -> None:
    page.get_by_text("Sign out", exact=True).first.click()  # the disclosure asks first
    expect(page.locator(".sign-out-panel")).to_contain_text("A guest has no password")
    page.locator(".sign-out-panel").get_by_role("button", name="Sign out").click()


def test_signing_out_and_joining_again_does_not_vote_twice(
    browser: Browser, live_server: LiveServer, screenshot_dir: Path
) -> None:
    owner, poll_url = owner_with_poll(browser, live_server)
    context: BrowserContext = browser.new_context(**PHONE)
    phone = context.new_page()
    phone.goto(poll_url)
    expect(phone.get_by_role("link", name="My polls")).to_have_count(0)
    phone.get_by_role("radio", name="Merge sort").tap()
    phone.get_by_label("Your name").fill("Sam Okafor")
    phone.get_by_role("button", name="Vote").tap()
    expect(phone.locator("#vote-status")).to_contain_text("is in")
    expect(phone.get_by_role("link", name="My polls")).to_have_count(0)  # a student's page
    sign_out_from_the_header(phone)
    expect(phone).to_have_url(poll_url)  # back on the poll, signed out
    phone.get_by_role("radio", name="Heapsort").tap()
    phone.get_by_label("Your name").fill("Not Sam")
    phone.get_by_role("button", name="Vote").tap()
    expect(phone.locator("#vote-status")).to_contain_text(
        "This browser has already voted in this poll"
    )
    expect(phone.locator(".whoami")).to_have_count(0)  # nobody new was made
    phone.screenshot(path=screenshot_dir / "second-vote-refused-phone.png", full_page=True)
    expect(owner.locator("[data-total-votes]")).to_have_attribute("data-total-votes", "1")
    # The next person at a shared computer can still join.
    join_as_guest(phone, live_server.url, "Priya")
    expect(phone.locator(".whoami")).to_contain_text("Priya")


def test_a_pick_not_sent_before_the_close_is_named(
    browser: Browser, live_server: LiveServer
) -> None:
    owner, poll_url = owner_with_poll(browser, live_server)
    student = signed_in_student(browser, live_server, poll_url, "Aisha Bello")
    student.get_by_role("radio", name="Heapsort").tap()  # picked, Vote never pressed
    owner.get_by_role("button", name="Close voting now").click()
    expect(student.locator("#vote-panel")).to_contain_text("Voting closed.")
    expect(student.get_by_role("alert")).to_have_text(
        "Voting closed before you pressed Vote: your pick “Heapsort” was not counted."
    )


def test_a_deleted_poll_stops_counting_down_on_open_pages(
    browser: Browser, live_server: LiveServer
) -> None:
    owner = browser.new_context().new_page()
    join_as_guest(owner, live_server.url, "Alex Instructor")
    poll_url = create_poll_in_page(
        owner, live_server.url, "Gone soon?", ["Yes", "No"], closes="In 5 minutes"
    )
    student = browser.new_context(**PHONE).new_page()
    student.goto(poll_url)
    expect(student.locator("[data-countdown]")).to_be_visible()
    owner.get_by_role("button", name="Delete poll").click()  # no votes: one step
    expect(owner).to_have_url(f"{live_server.url}/polls")
    expect(student.locator("#vote-panel")).to_contain_text("This poll was deleted")
    expect(student.locator("#poll-meta")).to_have_text("Deleted")
    expect(student.locator("[data-countdown]")).to_have_count(0)


def test_owner_errors_are_red_on_red(browser: Browser, live_server: LiveServer) -> None:
    owner, _ = owner_with_poll(browser, live_server)
    owner.get_by_role("button", name="Close voting now").click()
    owner.get_by_label("New end time").fill("2001-01-01T10:00")
    owner.get_by_role("button", name="Reopen voting").click()
    status = owner.locator("#owner-status")
    expect(status).to_contain_text("already passed")
    colours = status.evaluate(
        "e => [getComputedStyle(e).color, getComputedStyle(e).backgroundColor]"
    )
    assert colours == ["rgb(166, 27, 27)", "rgb(251, 231, 231)"]  # --danger on --danger-soft


def test_the_create_form_counts_instead_of_cutting_and_previews_the_projector(
    browser: Browser, live_server: LiveServer, screenshot_dir: Path
) -> None:
    page = browser.new_context(viewport=LAPTOP).new_page()
    join_as_guest(page, live_server.url, "Alex Instructor")
    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("button", name="Create poll")).to_be_in_viewport()
    pasted = "Why " + "very " * 70 + "long?"
    page.get_by_label("Question").fill(pasted)
    expect(page.get_by_label("Question")).to_have_value(pasted)  # nothing cut
    over = len(pasted) - QUESTION_MAX
    expect(page.locator("[data-count-for='question']")).to_have_text(
        f"{over} too many: {len(pasted)} of {QUESTION_MAX}"
    )
    expect(page.get_by_label("Question")).to_have_attribute("aria-invalid", "true")
    page.get_by_label("Question").fill("Which sorting algorithm is stable?")
    expect(page.get_by_label("Question")).not_to_have_attribute("aria-invalid", "true")
    # Enter in a response goes to the very next box, and adds one only after the last.
    page.get_by_label("Response 1", exact=True).fill("Merge sort")
    page.get_by_label("Response 1", exact=True).press("Enter")
    expect(page.get_by_label("Response 2", exact=True)).to_be_focused()
    page.keyboard.type("Quicksort")
    page.keyboard.press("Enter")
    expect(page.get_by_label("Response 3", exact=True)).to_be_focused()
    expect(page.locator("#choice-inputs input[name='choices']")).to_have_count(4)
    page.get_by_label("Response 4", exact=True).fill("x" * (CHOICE_MAX + 5))
    expect(page.locator("[data-count-for='choice-4']")).to_contain_text("5 too many")
    page.get_by_label("Response 4", exact=True).fill("Heapsort")
    page.get_by_label("Response 4", exact=True).press("Enter")
    expect(page.locator("#choice-inputs input[name='choices']")).to_have_count(5)
    expect(page.get_by_label("Response 5", exact=True)).to_be_focused()
    preview = page.locator("[data-projector-preview]")
    expect(preview.locator(".present-question")).to_have_text("Which sorting algorithm is stable?")
    expect(preview.locator(".choice:not([hidden]) .choice-label")).to_have_text(
        ["Merge sort", "Quicksort", "Heapsort"]
    )
    page.screenshot(path=screenshot_dir / "create-form-1440.png")
    expect(page.get_by_role("button", name="Create poll")).to_be_in_viewport()
    page.get_by_role("button", name="Create poll").click()
    page.wait_for_url("**/polls/*")
    expect(page.locator("#results [data-choice-id]")).to_have_count(3)


def test_the_embed_comes_light_with_dark_to_pick_and_frames_in_a_file(
    browser: Browser, live_server: LiveServer, host_site: HostSite, tmp_path: Path
) -> None:
    owner, _ = owner_with_poll(browser, live_server)
    owner.get_by_text("Embed the live results in another page").click()
    code = owner.get_by_label("Paste this where the results should appear")
    expect(code).to_have_value(re.compile(r"/embed\?theme=light\""))
    owner.get_by_label("Dark").check()
    expect(code).to_have_value(re.compile(r"/embed\?theme=dark\""))
    handout = tmp_path / "handout.html"
    handout.write_text(
        f"<!doctype html><title>Week 5</title><body style='background:#111'>{code.input_value()}"
    )
    course = browser.new_context().new_page()
    course.goto(handout.as_uri())
    frame = course.frame_locator("iframe")
    expect(frame.locator("#poll-live")).to_have_attribute("data-live", "open")
    expect(frame.locator("body")).to_have_class("embed theme-dark")
