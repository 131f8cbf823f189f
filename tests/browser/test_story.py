"""The instructor's story from start to finish, as the people in it see it.

An instructor signs in with GitHub (a stand-in on 127.0.0.1), asks a question that closes two
minutes later, copies the share link and opens the projector view; a course page on another
site embeds the results. Students open the copied link on a phone, in a browser without
JavaScript and on a laptop, and vote: with GitHub from the poll page, or as a guest with a
name in one submit; classmates join in; one student changes their mind. Every screen follows
without a reload, through a restart of the server in the middle, and voting stops on every
screen when the end time comes.

The end time is real time: everything else happens while it runs, and the test waits only for
what is left of it. The pictures in the README come from here (and from test_room_story.py):
with CROWDSOURCE_SCREENSHOTS_DIR set (scripts/screenshots) they are saved there, otherwise
under test-results/screenshots/story/.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, expect

from tests.helpers.instructor_story import (
    CLASSMATES,
    CLOSE_MARGIN,
    COURSE_PAGE,
    COURSE_PAGE_HTML,
    GITHUB_PEOPLE,
    HEAP,
    INSTRUCTOR,
    JORDAN,
    LAPTOP,
    LIVE,
    MEI,
    MERGE,
    PHONE,
    PROJECTOR,
    QUESTION,
    QUICK,
    RECONNECT,
    STORY_BUDGET,
    TOMAS,
    expect_closed,
    expect_results,
    expect_voting_stopped,
    live_root,
    loaded_at,
    open_link_and_sign_in,
    reconnecting_notice,
    seconds_left,
    sign_in_with_github,
    vote,
    vote_as_guest,
)
from tests.helpers.live_server import LiveServer
from tests.helpers.sites import HostSite


@pytest.fixture
def github_people() -> dict[str, str]:
    return {person.login: person.name for person in GITHUB_PEOPLE if person.login}


@pytest.mark.timeout(300)  # the poll's two minutes are real time
def test_the_instructors_story(
    new_context: Callable[..., BrowserContext],
    github_app: LiveServer,
    host_site: HostSite,
    pictures: Path,
) -> None:
    # The instructor signs in with GitHub on a laptop and asks the room, closing in two minutes.
    instructor_context = new_context(
        viewport=LAPTOP, permissions=["clipboard-read", "clipboard-write"]
    )
    owner = instructor_context.new_page()
    owner.goto(github_app.url)
    sign_in_with_github(owner, INSTRUCTOR.login or "")
    expect(owner.get_by_role("heading", name="Ask the room")).to_be_visible()
    owner.get_by_label("Question").fill(QUESTION)
    for number, response in enumerate((MERGE, QUICK, HEAP), start=1):
        owner.get_by_label(f"Response {number}", exact=True).fill(response)
    two_minutes_out = owner.evaluate(
        "() => { const d = new Date(Date.now() + 120000);"
        " d.setMinutes(d.getMinutes() - d.getTimezoneOffset());"
        " return d.toISOString().slice(0, 19); }"
    )
    owner.get_by_role("textbox", name="Date and time").fill(two_minutes_out)
    owner.get_by_label("Everyone who sees the results").check()
    owner.get_by_role("button", name="Create poll").click()
    expect(owner.get_by_role("heading", name=QUESTION)).to_be_visible()
    expect(owner.locator("#poll-meta")).to_contain_text("Open")
    expect(owner.locator("#poll-meta [data-countdown]")).to_have_text(
        re.compile(r"^[12]:[0-5]\d left$")
    )
    end = owner.locator("#poll-meta time")
    expect(end).to_have_text(two_minutes_out[11:16])  # the local time the instructor picked
    closes_at = datetime.fromisoformat(end.get_attribute("datetime") or "")

    # The instructor copies the share link for the chat.
    owner.get_by_role("button", name="Copy link").click()
    expect(owner.get_by_role("button", name="Copied ✓")).to_be_visible()
    link = owner.evaluate("navigator.clipboard.readText()")
    assert re.fullmatch(rf"{re.escape(github_app.url)}/polls/[\w-]{{8,}}", link)
    expect(owner.get_by_label("Share link")).to_have_value(link)
    expect(owner.locator(".share-link")).to_have_text(link)
    assert owner.url == link

    # ... opens the projector view in a new tab and drags it to the projector,
    with instructor_context.expect_page() as new_tab:
        owner.get_by_role("link", name="Open the projector view").click(modifiers=["Control"])
    projector = new_tab.value
    projector.set_viewport_size(PROJECTOR)
    expect(projector.get_by_role("heading", name=QUESTION)).to_be_visible()
    expect(projector.get_by_role("img", name=f"QR code for {link}")).to_be_visible()
    expect(projector.locator(".present-link")).to_have_text(link.split("://", 1)[1])

    # ... and pastes the embed snippet into the course page on another site.
    owner.get_by_text("Embed the live results in another page").click()
    snippet = owner.get_by_label("Paste this where the results should appear").input_value()
    host_site.html = COURSE_PAGE_HTML.format(snippet=snippet)
    course = new_context(viewport=COURSE_PAGE).new_page()
    course.goto(host_site.url)
    embed = course.frame_locator("iframe")
    expect(embed.get_by_role("link", name=QUESTION)).to_be_visible()

    # Three students open the copied link: Mei on her phone, Tomás without JavaScript, Jordan
    # on a laptop. They sign in (GitHub, guest, GitHub) and vote.
    mei = new_context(
        viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2
    ).new_page()
    open_link_and_sign_in(mei, link, MEI, touch=True)
    vote(mei, MERGE, touch=True)
    tomas = new_context(viewport=PHONE, java_script_enabled=False).new_page()
    vote_as_guest(tomas, link, TOMAS, QUICK)
    jordan = new_context(viewport=LAPTOP).new_page()
    open_link_and_sign_in(jordan, link, JORDAN)
    vote(jordan, HEAP)
    for classmate, response in CLASSMATES.items():
        page = new_context().new_page()
        if classmate.login:
            open_link_and_sign_in(page, link, classmate)
            vote(page, response)
        else:
            vote_as_guest(page, link, classmate, response)
        page.context.close()

    # Without a reload, the instructor and the room see every vote with its voter's picture;
    # Mei, on her phone, sees the same results.
    votes = {
        MERGE: [MEI, *(p for p, r in CLASSMATES.items() if r == MERGE)],
        QUICK: [TOMAS, *(p for p, r in CLASSMATES.items() if r == QUICK)],
        HEAP: [JORDAN, *(p for p, r in CLASSMATES.items() if r == HEAP)],
    }
    live_pages = {"instructor": owner, "projector": projector, "Mei": mei, "Jordan": jordan}
    first_loads = {name: loaded_at(page) for name, page in live_pages.items()}
    for page in (owner, projector, mei, jordan):
        expect_results(page, votes)
    expect_results(embed, votes)
    # Watching: the instructor, the projector, the course page, Mei and Jordan (Tomás has no
    # live connection without JavaScript; the classmates have closed their tabs).
    expect(owner.locator("#presence")).to_have_text("5 watching", timeout=LIVE)

    # The server restarts in the middle of the lesson: every open page notices, reconnects
    # by itself and shows the same results; the page loaded afresh shows them too.
    github_app.stop()
    for page in (owner, projector, mei, jordan, embed):
        expect(live_root(page)).to_have_attribute("data-live", "closed")
        expect(reconnecting_notice(page)).to_be_visible(timeout=RECONNECT)
    github_app.start()
    for page in (owner, projector, mei, jordan, embed):
        expect(live_root(page)).to_have_attribute("data-live", "open", timeout=RECONNECT)
        expect(reconnecting_notice(page)).to_be_hidden()
    tomas.goto(link)
    expect(tomas.get_by_role("radio", name=QUICK)).to_be_checked()
    expect_results(tomas, votes)
    expect_results(owner, votes)

    # Jordan changes his mind on the page he had open before the restart; every open page
    # moves his picture from Heapsort to Merge sort.
    assert seconds_left(closes_at) > STORY_BUDGET, "the story ran too slowly to finish in time"
    expect(jordan.get_by_role("button", name="Change my vote")).to_be_visible()
    vote(jordan, MERGE)
    votes[HEAP].remove(JORDAN)
    votes[MERGE].append(JORDAN)
    for page in (owner, projector, mei):
        expect_results(page, votes)
    expect_results(embed, votes)
    expect(mei.get_by_role("radio", name=MERGE)).to_be_checked()

    # The pictures for the README, at the moment the room is in full swing.
    shoot = {"animations": "disabled", "caret": "hide"}
    owner.evaluate("window.scrollTo(0, 0)")  # back up from the embed snippet
    owner.screenshot(path=pictures / "live-poll.png", **shoot)
    projector.screenshot(path=pictures / "projector.png", **shoot)
    course.screenshot(path=pictures / "embed.png", full_page=True, **shoot)
    mei.screenshot(path=pictures / "phone-vote.png", **shoot)

    # The end time comes: voting stops on every screen by itself, not a moment early.
    for page in (owner, projector, mei, jordan):
        expect(page.locator("#results")).to_have_attribute("data-state", "open")
    wait = seconds_left(closes_at) * 1000 + CLOSE_MARGIN
    expect_voting_stopped(owner, timeout=wait)
    assert datetime.now(UTC) >= closes_at
    for page in (mei, jordan):
        expect_voting_stopped(page, timeout=LIVE)
    expect_closed(projector, timeout=LIVE)
    expect_closed(embed, timeout=LIVE)
    expect(owner.get_by_role("button", name="Reopen voting")).to_be_visible()
    expect(owner.locator("[data-countdown]")).to_have_count(0)
    for page in (owner, projector, mei):
        expect_results(page, votes)
    for name, page in live_pages.items():
        assert loaded_at(page) == first_loads[name], f"the {name} page was reloaded"

    # Tomás, without JavaScript, still has the form from before the close: his late vote is
    # refused with a clear message and changes nothing; the page he gets shows the close.
    tomas.get_by_role("radio", name=MERGE).check()
    tomas.get_by_role("button", name="Change my vote").click()
    expect(tomas.locator("#vote-status")).to_have_text("Voting has closed for this poll.")
    expect_voting_stopped(tomas, timeout=LIVE)
    expect_results(tomas, votes)
    tomas.goto(link)
    expect_voting_stopped(tomas, timeout=LIVE)
    expect_results(owner, votes)
