"""What a person does in the browser, shared by the browser tests."""

from __future__ import annotations

from typing import Any


def join_as_guest(page: Any, base_url: str, name: str, next_path: str = "/") -> None:
    """Sign in through the page, the way a student would."""
    page.goto(f"{base_url}/login?next={next_path}")
    page.get_by_label("Join as a guest: your name").fill(name)
    page.get_by_role("button", name="Join").click()


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
