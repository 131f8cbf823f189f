"""An open answer, end to end in real browsers: a student answers from a phone (counter,
refusal, replacement), the owner watches answers and the cloud arrive and hides one, and the
projector shows a large cloud over 200 answers, readable from the back of the room."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from playwright.sync_api import Browser, expect

from tests.helpers.browser import (
    answer_as_new_guest,
    box_of,
    create_text_poll_in_page,
    join_as_guest,
)
from tests.helpers.live_server import LiveServer

IDEAS = ("recursion", "closures", "pointers", "recursion again", "loops", "recursion and loops")


def test_a_phone_answers_the_owner_hides_and_the_projector_shows_the_cloud(
    browser: Browser, live_server: LiveServer, screenshot_dir: Path
) -> None:
    owner = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
    join_as_guest(owner, live_server.url, "Alex Instructor")
    poll_url = create_text_poll_in_page(
        owner, live_server.url, "In one word: what was hardest today?", banned_words="darn"
    )
    owner.goto(poll_url)
    expect(owner.locator("#poll-live")).to_have_attribute("data-live", "open")

    student = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    join_as_guest(student, live_server.url, "Sam Student")
    student.goto(poll_url)
    expect(student.locator("#poll-live")).to_have_attribute("data-live", "open")
    box = student.get_by_label("Write your answer")
    box.fill("darn pointers")
    expect(student.locator("[data-count-for='vote-answer']")).to_have_text("13 of 280")
    student.get_by_role("button", name="Send my answer").click()
    expect(student.locator("#vote-status")).to_contain_text("Please rephrase")
    expect(owner.locator("#answers li")).to_have_count(0)

    box.fill("Pointers <b>and</b> recursion")
    student.get_by_role("button", name="Send my answer").click()
    expect(student.locator("#vote-status")).to_contain_text("Your answer is in.")
    expect(student.locator("#vote-button")).to_have_text("Change my answer")
    mine = owner.locator("#answers li", has_text="Pointers <b>and</b> recursion")
    expect(mine).to_have_count(1)  # the markup shown as text, never as markup
    expect(owner.locator("#answers b")).to_have_count(0)
    expect(owner.locator("#cloud [data-word='pointers']")).to_have_attribute("data-count", "1")
    expect(mine.locator("img.voter")).to_have_attribute("alt", "Sam Student (guest)")

    for number, idea in enumerate(IDEAS):
        answer_as_new_guest(poll_url, f"Student {number}", idea)
    expect(owner.locator("#answers li")).to_have_count(len(IDEAS) + 1)
    expect(owner.locator("#cloud [data-word='recursion']")).to_have_attribute("data-count", "4")
    expect(owner.locator("[data-total-votes]")).to_have_attribute("data-total-votes", "7")
    expect(student.locator("#answers li")).to_have_count(len(IDEAS) + 1)

    loops = owner.locator("#answers li", has_text="recursion and loops")
    loops.get_by_role("button", name="Hide").click()
    owner.wait_for_url(f"{poll_url}#answers")
    expect(owner.locator("#owner-status")).to_contain_text("hidden from every screen")
    expect(student.locator("#answers li", has_text="recursion and loops")).to_have_count(0)
    expect(student.locator("#cloud [data-word='recursion']")).to_have_attribute("data-count", "3")
    expect(student.locator("#cloud [data-word='loops']")).to_have_attribute("data-count", "1")

    box.fill("Recursion, once it clicked")  # a change of mind replaces the answer
    student.get_by_role("button", name="Change my answer").click()
    expect(owner.locator("#answers li", has_text="Pointers <b>and</b>")).to_have_count(0)
    expect(owner.locator("#answers li", has_text="once it clicked")).to_have_count(1)
    student.wait_for_timeout(300)
    student.screenshot(path=screenshot_dir / "kind-text-phone.png", full_page=True)
    owner.screenshot(path=screenshot_dir / "kind-text-owner-1080p.png")

    projector = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
    projector.goto(f"{poll_url}/present")
    expect(projector.locator("#poll-live")).to_have_attribute("data-live", "open")
    words = ("recursion", "closures", "pointers", "loops", "types", "async", "git", "tests")
    crowd = [  # six are shown so far (one of the seven was hidden)
        (f"Guest {n}", f"{words[n % len(words)]} {words[(n * 3) % len(words)]} idea{n % 9}")
        for n in range(200 - 6)
    ]
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda guest: answer_as_new_guest(poll_url, *guest), crowd))
    total = projector.locator("[data-total-votes]")
    expect(total).to_have_attribute("data-total-votes", "200", timeout=30_000)  # a busy machine
    expect(projector.locator("#answers li")).to_have_count(50)
    expect(projector.locator("#answers-count")).to_have_text("Latest 50 of 200 answers")
    biggest = projector.locator("#cloud .cloud-size-6").first
    expect(biggest).to_be_visible()
    size = biggest.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    assert size >= 60, size  # readable from the back of the room
    newest = projector.locator("#answers li").last  # the newest, shown on top
    assert box_of(newest)["y"] < 1080
    assert projector.evaluate("document.scrollingElement.scrollHeight") <= 1080
    projector.wait_for_timeout(300)
    projector.screenshot(path=screenshot_dir / "kind-text-projector-1080p.png")
