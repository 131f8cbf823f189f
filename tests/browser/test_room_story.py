"""Issue 14's story in Chromium, as the people in it see it: one room for the whole course.

Alex creates a room and prepares a question before class, then opens the room projector.
Mei opens the join link on her phone, Tomás (JavaScript off) types the code at /join in lower
case with a dash, Jordan opens the link on a laptop; each signs in and waits. Alex presses the
"How well are you following?" quick ask: every live page and the projector show it without a
reload; they vote (Tomás by form post) and the console shows each vote with its voter. Alex
presses Next: everyone moves on to the prepared question. Tomás's late vote on the old
question is refused; Priya, joining late, lands on the current question.

The README's pictures of rooms come from here: room-host.png, room-phone.png and
room-projector.png go where CROWDSOURCE_SCREENSHOTS_DIR says (scripts/screenshots), else to
test-results/screenshots/story/; the other pictures (waiting, 1280 by 720, the console on a
phone) to test-results/screenshots/rooms/.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import BrowserContext, Page, expect

from tests.helpers.browser import mark_page, response_row, still_the_same_page
from tests.helpers.live_server import LiveServer

ROOM = "CS 101 — Spring"
UNDERSTANDING = "How well are you following?"
OLD_HAT = "This is old hat to me"
OKAY = "I have an okay understanding of this"
NO_IDEA = "I have no idea what you're babbling about"
PREPARED = "Which sorting algorithm is stable?"
MERGE, QUICK, HEAP = "Merge sort", "Quicksort", "Heapsort"
WAITING = "Waiting for the next question…"
ENDED = "That question has ended: the room has moved on. Nothing was stored."
DESKTOP = {"width": 1920, "height": 1080}
LAPTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
SMALL_PROJECTOR = {"width": 1280, "height": 720}
LIVE = 10_000  # ms: a change reaches every open page well within this on a busy machine
SHOOT = {"animations": "disabled", "caret": "hide"}
SCROLLBARS = (
    "() => document.documentElement.scrollHeight > innerHeight"
    " || document.documentElement.scrollWidth > innerWidth"
)


def press(page: Page, role: str, name: str, touch: bool = False) -> None:
    """A finger on a phone, a mouse elsewhere."""
    target = page.get_by_role(role, name=name, exact=True)  # type: ignore[arg-type]
    if touch:
        target.tap()
    else:
        target.click()


def sign_in_as_guest(page: Page, name: str, touch: bool = False) -> None:
    """From the page a student is on: the header's Sign in, a guest name, and back."""
    was = page.url
    press(page, "link", "Sign in", touch)
    page.get_by_label("Join as a guest: your name").fill(name)
    press(page, "button", "Join", touch)
    expect(page).to_have_url(was)
    expect(page.locator(".whoami")).to_contain_text(name)


def vote(page: Page, response: str, touch: bool = False) -> None:
    press(page, "radio", response, touch)
    page.locator("#vote-form").get_by_role("button").click()
    expect(page.locator("#vote-status")).to_have_text(f"Your vote for “{response}” is in.")


def shows_question(page: Page, question: str, responses: tuple[str, ...] = ()) -> None:
    expect(page.get_by_role("heading", name=question, exact=True)).to_be_visible(timeout=LIVE)
    for response in responses:
        expect(page.get_by_role("radio", name=response, exact=True)).to_be_visible()


def expect_votes(page: Page, votes: dict[str, list[str]], voters: bool = False) -> None:
    """The total, each response's count and, where shown, each voter's picture by name."""
    total = sum(len(people) for people in votes.values())
    expect(page.locator("#total-votes")).to_have_text(f"{total} votes", timeout=LIVE)
    for response, people in votes.items():
        row = response_row(page, response)
        expect(row.locator(".choice-count strong")).to_have_text(str(len(people)))
        if voters:
            expect(row.locator("img.voter")).to_have_count(len(people))
            for person in people:
                expect(row.get_by_role("img", name=f"{person} (guest)")).to_be_visible()


def fits_without_scrollbars(page: Page, size: dict[str, int]) -> None:
    page.set_viewport_size(size)
    page.wait_for_function(f"() => !({SCROLLBARS})()")


def test_a_room_follows_its_instructor(
    new_context: Callable[..., BrowserContext],
    live_server: LiveServer,
    pictures: Path,
    screenshot_dir: Path,
) -> None:
    more_pictures = screenshot_dir / "rooms"  # for people checking the pages, not the README
    more_pictures.mkdir(exist_ok=True)
    # Alex signs in, follows "Your rooms" from the home page and creates the course's room.
    alex = new_context(viewport=DESKTOP).new_page()
    alex.goto(live_server.url)
    sign_in_as_guest(alex, "Alex Rivera")
    alex.get_by_role("link", name="Go to my rooms").click()
    alex.get_by_label("Name of the new room").fill(ROOM)
    alex.get_by_role("button", name="Create room").click()
    expect(alex.get_by_role("heading", name=ROOM, level=1)).to_be_visible()
    code = alex.locator(".room-code-big .code").inner_text()
    assert re.fullmatch(r"[A-HJ-NP-Z2-9]{6}", code), code
    link = alex.get_by_label("Join link").input_value()
    assert link == f"{live_server.url}/r/{code}"

    # Before class he prepares a question; it waits in the list, ready.
    alex.get_by_label("Question", exact=True).fill(PREPARED)
    for number, response in enumerate((MERGE, QUICK, HEAP), start=1):
        alex.get_by_label(f"Response {number}", exact=True).fill(response)
    alex.get_by_role("button", name="Save for later").click()
    expect(alex.locator("#owner-status")).to_have_text("Saved: it waits in the list, ready.")
    expect(alex.locator("#room-questions li", has_text=PREPARED).locator(".badge")).to_have_text(
        "Ready"
    )

    # He opens the room projector in a new tab on the big screen: the code, the QR, the link.
    with alex.context.expect_page() as tab:
        alex.get_by_role("link", name="Open the projector view").click(modifiers=["Control"])
    projector = tab.value
    projector.set_viewport_size(DESKTOP)
    expect(projector.locator(".present-code")).to_have_text(code)
    expect(projector.get_by_role("img", name=f"QR code for {link}")).to_be_visible()
    expect(projector.locator(".present-link")).to_have_text(link.split("://", 1)[1])
    shows_question(projector, WAITING)

    # Mei opens the link on her phone, Jordan on his laptop; both sign in and wait.
    mei = new_context(
        viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2
    ).new_page()
    jordan = new_context(viewport=LAPTOP).new_page()
    for page, name, touch in ((mei, "Mei Chen", True), (jordan, "Jordan Lee", False)):
        page.goto(link)
        sign_in_as_guest(page, name, touch)
        shows_question(page, WAITING)

    # Tomás, without JavaScript, types the code on the home page in lower case with a dash.
    tomas = new_context(viewport=LAPTOP, java_script_enabled=False).new_page()
    tomas.goto(live_server.url)
    tomas.get_by_label("Room code").fill(f"{code[:3].lower()}-{code[3:].lower()}")
    tomas.get_by_role("button", name="Enter the room").click()
    expect(tomas).to_have_url(link)
    sign_in_as_guest(tomas, "Tomás Silva")
    shows_question(tomas, WAITING)
    reload = tomas.get_by_role("link", name="Reload for the next question.")
    expect(reload).to_be_visible()

    # The console counts who is in the room: Alex's console, the projector, Mei and Jordan.
    expect(alex.locator("#presence")).to_have_text("4 in the room", timeout=LIVE)
    expect(mei.locator("#presence")).to_have_text("4 in the room", timeout=LIVE)
    for page in (mei, jordan, projector):
        mark_page(page)
    mei.screenshot(path=more_pictures / "room-phone-waiting.png", **SHOOT)
    projector.screenshot(path=more_pictures / "room-projector-waiting.png", **SHOOT)

    # Mid-lecture, one button: every screen shows the question, ready to vote, without a reload.
    press(alex, "button", UNDERSTANDING)
    expect(alex.locator("#owner-status")).to_have_text("It is on every screen now.")
    for page in (mei, jordan):
        shows_question(page, UNDERSTANDING, (OLD_HAT, OKAY, NO_IDEA))
    shows_question(projector, UNDERSTANDING)
    mark_page(alex)

    # They vote: Mei with her thumb, Jordan with a click, Tomás by reloading and posting.
    vote(mei, OKAY, touch=True)
    vote(jordan, OLD_HAT)
    reload.click()
    shows_question(tomas, UNDERSTANDING, (OLD_HAT, OKAY, NO_IDEA))
    vote(tomas, NO_IDEA)
    votes = {OLD_HAT: ["Jordan Lee"], OKAY: ["Mei Chen"], NO_IDEA: ["Tomás Silva"]}
    expect_votes(alex, votes, voters=True)
    expect_votes(projector, votes)
    expect_votes(mei, votes)
    expect(alex.locator(".up-next")).to_have_text(f"Up next: {PREPARED}")
    alex.screenshot(path=pictures / "room-host.png", **SHOOT)
    mei.screenshot(path=pictures / "room-phone.png", **SHOOT)
    projector.screenshot(path=pictures / "room-projector.png", **SHOOT)
    fits_without_scrollbars(projector, SMALL_PROJECTOR)
    projector.screenshot(path=more_pictures / "room-projector-720p.png", **SHOOT)
    fits_without_scrollbars(projector, DESKTOP)
    assert still_the_same_page(alex), "the console reloaded while the votes came in"

    # Next: everyone moves on to the prepared question.
    press(alex, "button", "Next")
    expect(alex.locator("#owner-status")).to_have_text("It is on every screen now.")
    for page in (mei, jordan):
        shows_question(page, PREPARED, (MERGE, QUICK, HEAP))
    shows_question(projector, PREPARED)
    expect(projector.locator("#total-votes")).to_have_text("0 votes")
    for page in (mei, jordan):  # "Your vote … is in" was about the question before
        expect(page.locator("#vote-status")).to_be_hidden()

    # Tomás's page still shows the old question: his late vote is refused, nothing is stored,
    # and the page he gets shows the question of now.
    press(tomas, "radio", OLD_HAT)
    tomas.get_by_role("button", name="Change my vote").click()
    expect(tomas.locator("#vote-status")).to_have_text(ENDED)
    shows_question(tomas, PREPARED, (MERGE, QUICK, HEAP))
    rows = alex.locator("#room-questions li")
    expect(rows.filter(has_text=UNDERSTANDING).locator(".badge")).to_have_text("Closed")
    expect(rows.filter(has_text=PREPARED).locator(".badge")).to_have_text("On screen")
    earlier = alex.context.new_page()
    path = rows.filter(has_text=UNDERSTANDING).get_by_role("link").get_attribute("href")
    earlier.goto(f"{live_server.url}{path}")
    expect_votes(earlier, votes, voters=True)  # as before the late vote
    earlier.close()

    # Priya joins late and lands on the question of now; the votes reach the console live.
    priya = new_context(viewport=LAPTOP).new_page()
    priya.goto(link)
    shows_question(priya, PREPARED)
    sign_in_as_guest(priya, "Priya Natarajan")
    vote(priya, MERGE)
    vote(mei, MERGE, touch=True)
    vote(jordan, QUICK)
    tomas.get_by_role("link", name="Reload for the next question.").click()
    shows_question(tomas, PREPARED, (MERGE, QUICK, HEAP))
    vote(tomas, HEAP)
    after_next = {
        MERGE: ["Priya Natarajan", "Mei Chen"],
        QUICK: ["Jordan Lee"],
        HEAP: ["Tomás Silva"],
    }
    expect_votes(alex, after_next, voters=True)
    expect_votes(projector, after_next)
    expect(alex.locator(".up-next")).to_have_text(
        "No prepared question is left: Next shows the waiting screen."
    )

    # The live pages followed every step without a reload.
    for name, page in {"Mei": mei, "Jordan": jordan, "projector": projector}.items():
        assert still_the_same_page(page), f"{name}'s page was reloaded"

    # The console on a phone, for the record.
    alex.set_viewport_size(PHONE)
    alex.screenshot(path=more_pictures / "room-host-phone.png", full_page=True, **SHOOT)
