"""A student switches language in the middle of a poll, with the footer's links: the page and
everything pushed to it afterwards speak the new language, Arabic right to left; the projector
speaks the room's language; axe-core finds nothing serious in any language."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from crowdsource.i18n.current import _, ngettext, speaking
from tests.helpers.axe import AXE_JS, serious_violations
from tests.helpers.browser import box_of, create_poll_in_page, join_as_guest
from tests.helpers.live_server import LiveServer

PHONE = {"width": 390, "height": 844}
FULL_HD = {"width": 1920, "height": 1080}


def said(language: str, message: str) -> str:
    with speaking(language):
        return _(message)


def votes(language: str, count: int) -> str:
    with speaking(language):
        return ngettext("%(count)s vote", "%(count)s votes", count) % {"count": count}


def vote_for(page: Page, response: str, button: str = "Vote") -> None:
    page.get_by_role("radio", name=response).check()
    page.get_by_role("button", name=button).click()


def test_switching_language_mid_poll_changes_the_page_and_every_later_push(
    browser: Browser, live_server: LiveServer, pictures: Path
) -> None:
    owner = browser.new_context(viewport=FULL_HD).new_page()
    join_as_guest(owner, live_server.url, "Alex Instructor")
    poll_url = create_poll_in_page(owner, live_server.url, "Café or tea?", ["Café", "Tea"])

    student = browser.new_context(viewport=PHONE, bypass_csp=True).new_page()
    student.goto(poll_url)
    expect(student.locator("html")).to_have_attribute("lang", "en")
    expect(student.locator("#poll-live")).to_have_attribute("data-live", "open")

    student.locator(".language-switcher").get_by_role("link", name="Français").click()
    expect(student.locator("html")).to_have_attribute("lang", "fr")
    expect(student.locator("#poll-live")).to_have_attribute("data-live", "open")
    expect(student.locator("main")).to_contain_text(said("fr", "Your answer"))

    voter = browser.new_context(viewport=PHONE).new_page()
    join_as_guest(voter, live_server.url, "Sam Student")
    voter.goto(poll_url)
    vote_for(voter, "Tea")
    # Pushed, not reloaded: the French page counts the vote in French.
    expect(student.locator("#total-votes")).to_have_text(votes("fr", 1))
    expect(owner.locator("#total-votes")).to_have_text(votes("en", 1))

    student.locator(".language-switcher").get_by_role("link", name="العربية").click()
    expect(student.locator("html")).to_have_attribute("dir", "rtl")
    expect(student.locator("#poll-live")).to_have_attribute("data-live", "open")
    second = browser.new_context(viewport=PHONE).new_page()
    join_as_guest(second, live_server.url, "Noor")
    second.goto(poll_url)
    vote_for(second, "Café")
    expect(student.locator("#total-votes")).to_have_text(votes("ar", 2))
    # Right to left: the results' rows start at the right edge of the page.
    row = box_of(student.locator("[data-choice-id]").first)
    assert row is not None and row["x"] + row["width"] > PHONE["width"] - 40
    student.wait_for_timeout(300)
    student.screenshot(path=pictures / "language-ar-phone.png", full_page=True)
    if Path(AXE_JS).is_file():
        assert serious_violations(student) == []


@pytest.mark.parametrize("language", ["ar", "pt-BR"])
def test_the_room_projector_speaks_the_rooms_language(
    browser: Browser, live_server: LiveServer, pictures: Path, language: str
) -> None:
    host = browser.new_context(viewport=FULL_HD, locale="en-US").new_page()
    join_as_guest(host, live_server.url, "Alex Instructor")
    host.goto(f"{live_server.url}/rooms")
    host.get_by_label("Name").first.fill("Física 1")
    host.get_by_role("button", name="Create room").click()
    host.wait_for_url("**/host")
    host.get_by_label("Language of the projector").select_option(language)
    host.get_by_role("button", name="Set language").click()
    expect(host.locator("#main")).to_contain_text(said("en", "A projector already open")[:10])
    host.get_by_role("button", name="Yes / No").first.click()
    code = host.url.rstrip("/").split("/")[-2]

    projector = browser.new_context(viewport=FULL_HD, locale="en-US", bypass_csp=True).new_page()
    projector.goto(f"{live_server.url}/r/{code}/present")
    expect(projector.locator("html")).to_have_attribute("lang", language)
    expect(projector.locator("#results")).to_be_visible()
    phone = browser.new_context(viewport=PHONE).new_page()
    join_as_guest(phone, live_server.url, "Noor", next_path=f"/r/{code}?lang={language}")
    phone.goto(f"{live_server.url}/r/{code}?lang={language}")
    yes = said(language, "Yes")
    phone.get_by_role("radio", name=yes).check()
    phone.locator("#vote-form button[type=submit]").first.click()
    expect(projector.locator("#total-votes")).to_have_text(votes(language, 1))
    projector.wait_for_timeout(500)
    projector.screenshot(path=pictures / f"language-{language}-projector.png")
    phone.screenshot(path=pictures / f"language-{language}-room-phone.png", full_page=True)
    if Path(AXE_JS).is_file():
        assert serious_violations(projector) == []


@pytest.mark.skipif(not Path(AXE_JS).is_file(), reason="axe-core not fetched (scripts/test)")
def test_axe_finds_nothing_serious_in_any_language(
    browser: Browser, live_server: LiveServer
) -> None:
    owner = browser.new_context(viewport=FULL_HD, bypass_csp=True).new_page()
    join_as_guest(owner, live_server.url, "Alex Instructor")
    poll_url = create_poll_in_page(owner, live_server.url, "Ready?", ["Yes", "Not yet"])
    found = {}
    for language in ("en", "es", "fr", "de", "pt-BR", "ar"):
        for viewport, page_url in ((PHONE, poll_url), (FULL_HD, f"{poll_url}/present")):
            page = browser.new_context(viewport=viewport, bypass_csp=True).new_page()
            page.goto(f"{page_url}?lang={language}")
            expect(page.locator("html")).to_have_attribute("lang", language)
            violations = serious_violations(page)
            if violations:
                found[f"{language} {page_url}"] = violations
            page.context.close()
    owner.goto(f"{poll_url}?lang=ar")  # the owner's panel too, in the longest script
    expect(owner.locator("html")).to_have_attribute("dir", "rtl")
    owners = serious_violations(owner)
    if owners:
        found["ar owner"] = owners
    assert found == {}
