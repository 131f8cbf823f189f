"""axe-core on every kind of page: no serious or critical accessibility violations."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from tests.helpers.axe import AXE_JS, serious_violations
from tests.helpers.browser import create_poll_in_page, join_as_guest
from tests.helpers.live_server import LiveServer

pytestmark = pytest.mark.skipif(
    not Path(AXE_JS).is_file(), reason=f"axe-core not found at {AXE_JS}: scripts/test fetches it"
)


def test_no_serious_violations_anywhere(browser: Browser, live_server: LiveServer) -> None:
    # bypass_csp lets the test inject axe.min.js; the pages themselves keep their CSP.
    owner = browser.new_context(bypass_csp=True).new_page()
    student = browser.new_context(
        bypass_csp=True, viewport={"width": 390, "height": 844}
    ).new_page()
    checked: dict[str, list[dict[str, Any]]] = {}

    owner.goto(f"{live_server.url}/")
    checked["home"] = serious_violations(owner)
    owner.goto(f"{live_server.url}/login")
    checked["sign in"] = serious_violations(owner)
    join_as_guest(owner, live_server.url, "Alex Instructor")
    owner.goto(f"{live_server.url}/")
    checked["create"] = serious_violations(owner)
    owner.get_by_role("button", name="Create poll").click()  # empty: the form with errors
    checked["create with errors"] = serious_violations(owner)
    poll_url = create_poll_in_page(owner, live_server.url, "Accessible?", ["Yes", "No", "Unsure"])
    student.goto(poll_url)
    checked["poll (signed out: vote with a name)"] = serious_violations(student)
    student.goto(f"{live_server.url}/login?next=/polls/{poll_url.rsplit('/', 1)[1]}")
    checked["sign in to a poll"] = serious_violations(student)
    join_as_guest(student, live_server.url, "Sam Student")
    student.goto(poll_url)
    checked["poll (voter)"] = serious_violations(student)
    student.get_by_role("radio", name="Yes").check()
    student.get_by_role("button", name="Vote").click()
    expect(owner.locator("img.voter")).to_have_count(1)
    checked["poll (owner)"] = serious_violations(owner)
    owner.goto(f"{live_server.url}/polls")
    checked["my polls"] = serious_violations(owner)
    for theme in ("", "dark"):
        owner.goto(f"{poll_url}/present?theme={theme}")
        checked[f"present {theme}"] = serious_violations(owner)
        owner.goto(f"{poll_url}/embed?theme={theme}")
        checked[f"embed {theme}"] = serious_violations(owner)
    assert {page: found for page, found in checked.items() if found} == {}


def test_no_serious_violations_in_a_room(browser: Browser, live_server: LiveServer) -> None:
    owner = browser.new_context(bypass_csp=True, viewport={"width": 1440, "height": 900}).new_page()
    student = browser.new_context(
        bypass_csp=True, viewport={"width": 390, "height": 844}
    ).new_page()
    checked: dict[str, list[dict[str, Any]]] = {}
    join_as_guest(owner, live_server.url, "Alex Instructor", "/rooms")
    checked["my rooms, empty"] = serious_violations(owner)
    owner.get_by_label("Name of the new room").fill("CS 101")
    owner.get_by_role("button", name="Create room").click()
    checked["host console, waiting"] = serious_violations(owner)
    room_url = owner.get_by_label("Join link").input_value()
    student.goto(room_url)
    checked["students' page, waiting"] = serious_violations(student)
    owner.get_by_role("button", name="Yes / No", exact=True).click()
    join_as_guest(student, live_server.url, "Sam Student", "/" + room_url.split("/", 3)[3])
    student.get_by_role("radio", name="Yes").check()
    student.get_by_role("button", name="Vote").click()
    expect(owner.locator("img.voter")).to_have_count(1)
    checked["host console, live"] = serious_violations(owner)
    checked["students' page, voted"] = serious_violations(student)
    for theme in ("", "dark"):
        owner.goto(f"{room_url}/present?theme={theme}")
        checked[f"room projector {theme}"] = serious_violations(owner)
    owner.goto(f"{live_server.url}/rooms")
    checked["my rooms"] = serious_violations(owner)
    student.goto(f"{live_server.url}/join?code=zzzzzz")
    checked["wrong code"] = serious_violations(student)
    assert {page: found for page, found in checked.items() if found} == {}


def test_the_checker_itself_sees_a_violation(browser: Browser) -> None:
    page = browser.new_context().new_page()
    page.set_content('<!doctype html><html lang="en"><title>x</title><img src="a.png"></html>')
    assert [v["id"] for v in serious_violations(page)] == ["image-alt"]
