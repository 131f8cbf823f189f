"""A room's students' page on a slow connection: what the first message must not undo."""

from __future__ import annotations

import re
import time
from typing import Any

from playwright.sync_api import Browser, Page, WebSocketRoute, expect

from tests.helpers.browser import join_as_guest
from tests.helpers.live_server import LiveServer


def hold_the_first_messages(page: Page) -> dict[str, Any]:
    """Route the page's socket through the test: what the server sends is held back until
    `release(held)` (a phone on a slow network); what the page sends goes straight on."""
    held: dict[str, Any] = {"messages": [], "route": None, "released": False}

    def route(socket: WebSocketRoute) -> None:
        server = socket.connect_to_server()
        held["route"] = socket

        def from_server(message: str | bytes) -> None:
            if held["released"]:
                socket.send(message)
            else:
                held["messages"].append(message)

        server.on_message(from_server)

    page.route_web_socket(re.compile(r"/ws$"), route)
    return held


def release(held: dict[str, Any]) -> None:
    held["released"] = True
    for message in held["messages"]:
        held["route"].send(message)


def test_a_response_picked_before_the_first_message_stays_picked(
    browser: Browser, live_server: LiveServer
) -> None:
    alex = browser.new_context().new_page()
    join_as_guest(alex, live_server.url, "Alex Rivera", "/rooms")
    alex.get_by_label("Name of the new room").fill("CS 101")
    alex.get_by_role("button", name="Create room").click()
    link = alex.get_by_label("Join link").input_value()
    alex.get_by_role("button", name="Yes / No", exact=True).click()

    mei = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    join_as_guest(mei, live_server.url, "Mei Chen")
    held = hold_the_first_messages(mei)
    mei.goto(link)
    deadline = time.monotonic() + 10
    while not held["messages"] and time.monotonic() < deadline:
        mei.wait_for_timeout(50)
    assert held["messages"], "the full state never came"
    mei.get_by_role("radio", name="No").check()
    release(held)  # the full state replaces the stage, vote form included
    expect(mei.locator("#presence")).to_have_text("2 in the room")
    expect(mei.get_by_role("radio", name="No")).to_be_checked()
    mei.get_by_role("button", name="Vote").click()
    expect(mei.locator("#vote-status")).to_have_text("Your vote for “No” is in.")
