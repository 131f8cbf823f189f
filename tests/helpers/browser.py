"""What a person does in the browser, shared by the browser tests."""

from __future__ import annotations

import time
from http.cookiejar import CookieJar
from typing import Any
from urllib.parse import urlencode
from urllib.request import HTTPCookieProcessor, build_opener

from crowdsource.domain.avatar_budget import per_response


def join_as_guest(page: Any, base_url: str, name: str, next_path: str = "/") -> None:
    """Sign in through the page, the way a student would."""
    page.goto(f"{base_url}/login?next={next_path}")
    page.get_by_label("Join as a guest: your name").fill(name)
    page.get_by_role("button", name="Join").click()


def host_with_room(browser: Any, base_url: str) -> tuple[Any, str]:
    """An instructor signed in as a guest on a 1920 by 1080 screen, on the host console of
    the room "CS 101 — Spring" just created (no roster); and the room's code."""
    host = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
    join_as_guest(host, base_url, "Alex Instructor", "/rooms")
    host.get_by_label("Name of the new room").fill("CS 101 — Spring")
    host.get_by_role("button", name="Create room").click()
    code = host.locator("[data-room-code]").first.get_attribute("data-room-code")
    assert code
    return host, code


def local_time_in(page: Any, seconds: float) -> str:
    """The browser's wall-clock time `seconds` from now, as a datetime-local field takes it."""
    return page.evaluate(
        "(ms) => { const d = new Date(Date.now() + ms);"
        " d.setMinutes(d.getMinutes() - d.getTimezoneOffset());"
        " return d.toISOString().slice(0, 19); }",
        seconds * 1000,
    )


def create_poll_in_page(
    page: Any,
    base_url: str,
    question: str,
    responses: list[str],
    closes: str | None = None,
    *,
    closes_at: str | None = None,
    pick: tuple[str, ...] = (),
) -> str:
    """Fill the create form with real typing and clicks; returns the poll URL.
    `closes` is the label of a quick end time to pick, such as "In 5 minutes"; `closes_at`
    a date and time for its field (`local_time_in`); `pick` the labels of other options to
    tick, such as "Everyone once voting closes"."""
    page.goto(f"{base_url}/")
    if closes:
        page.get_by_label(closes).check()
    page.get_by_label("Question").fill(question)
    for index, label in enumerate(responses, start=1):
        page.get_by_label(f"Response {index}", exact=True).fill(label)
    if closes_at:
        page.locator("#closes_at").fill(closes_at)
    for label in pick:
        page.get_by_label(label).check()
    page.get_by_role("button", name="Create poll").click()
    page.wait_for_url("**/polls/*")
    return page.url


STAYED = "__crowdsourceStayed"  # a mark on a page's window: gone once it reloads or navigates


def mark_page(page: Any) -> None:
    """Mark the page as loaded now; `still_the_same_page` tells whether it has been left since."""
    page.evaluate(f"() => {{ window.{STAYED} = true; }}")


def still_the_same_page(page: Any) -> bool:
    return bool(page.evaluate(f"() => window.{STAYED} === true"))


def response_row(scope: Any, response: str) -> Any:
    """The row of one response in the results a page shows."""
    return scope.locator(f'[data-choice-id]:has(.choice-label:text-is("{response}"))')


def create_text_poll_in_page(page: Any, base_url: str, question: str, **fields: str) -> str:
    """A text question posted from the signed-in page's session (the create form's kind
    picker is another part's); returns the poll URL."""
    page.goto(f"{base_url}/")
    token = page.locator("input[name='csrf_token']").first.input_value()
    form = {"question": question, "kind": "text", "csrf_token": token, **fields}
    response = page.request.post(f"{base_url}/polls", form=form)
    assert response.ok, response.status
    return str(response.url)


def answer_as_new_guest(poll_url: str, name: str, text: str) -> None:
    """Someone else answers in one plain post from the poll page (a guest's name and answer),
    without a browser: a cookie jar and two requests."""
    opener = build_opener(HTTPCookieProcessor(CookieJar()))
    with opener.open(poll_url) as page:
        html = page.read().decode()
    token = html.split('id="guest-vote-token"')[0].rsplit('value="', 1)[1].split('"')[0]
    form = urlencode({"name": name, "answer": text, "csrf_token": token}).encode()
    with opener.open(f"{poll_url}/votes", data=form) as response:
        shown = response.read().decode()
    assert "Your answer is in." in shown, shown.split('id="vote-status"')[1][:300]


def avatars_shown(page: Any) -> int:
    """How many avatars the results should show: each response's first voters, up to its
    share (domain/avatar_budget.py); the others are a "+ N more" line."""
    rows = page.locator("[data-choice-id]")
    share = per_response(rows.count())
    return sum(
        min(int(rows.nth(n).get_attribute("data-votes")), share) for n in range(rows.count())
    )


def box_of(locator: Any) -> dict[str, float]:
    """Where a visible element is drawn. Measured again when it comes back empty: the
    socket's first full state may swap the element for its re-rendered copy between
    Playwright finding it and measuring it, and a detached element has no box."""
    for _ in range(40):
        box = locator.bounding_box()
        if box is not None:
            return box
        time.sleep(0.05)
    raise AssertionError(f"{locator} is not drawn on the page")
