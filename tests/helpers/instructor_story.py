"""The instructor's story (tests/browser/test_story.py): its people, and what they do and see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from playwright.sync_api import FrameLocator, Locator, Page, expect

from tests.helpers.browser import response_row

QUESTION = "Which sorting algorithm is stable?"
MERGE, QUICK, HEAP = "Merge sort", "Quicksort", "Heapsort"
LAPTOP = {"width": 1280, "height": 800}
PROJECTOR = {"width": 1920, "height": 1080}
PHONE = {"width": 390, "height": 844}
COURSE_PAGE = {"width": 1000, "height": 640}
LIVE = 10_000  # ms: a change reaches every open page well within this on a busy machine
RECONNECT = 20_000  # ms: pages retry at random, at most 8 s apart (static/js/live.js)
CLOSE_MARGIN = 30_000  # ms past the end time for the scheduled close to reach every page
STORY_BUDGET = 20  # s: at least this much must be left before the end time for the last vote


@dataclass(frozen=True)
class Person:
    name: str
    login: str | None = None  # a GitHub login; None joins as a guest

    @property
    def title(self) -> str:
        """A voter picture's hover title: the name, marked when a guest chose it."""
        return self.name if self.login else f"{self.name} (guest)"

    @property
    def alt(self) -> str:
        """What a voter's picture says: the GitHub login, or the guest's marked name."""
        return self.login or self.title


INSTRUCTOR = Person("Ana Rivera", "ana-rivera")
MEI = Person("Mei Chen", "mei-chen")  # on her phone
TOMAS = Person("Tomás Silva")  # a locked-down browser without JavaScript, joins as a guest
JORDAN = Person("Jordan Lee", "jordan-lee")  # on a laptop, changes his mind
CLASSMATES = {
    Person("Priya Natarajan", "priya-n"): MERGE,
    Person("Sam Okafor"): QUICK,
    Person("Noah Kim", "noah-kim"): HEAP,
    Person("Aisha Bello", "aisha-bello"): MERGE,
}
GITHUB_PEOPLE = [INSTRUCTOR, MEI, JORDAN, *CLASSMATES]

COURSE_PAGE_HTML = """<!doctype html><html lang="en"><meta charset="utf-8">
<title>CS 201 · Week 5: Sorting</title>
<style>
body {{ font: 17px/1.55 Georgia, serif; color: #222; max-width: 46rem; margin: 0 auto;
  padding: 1.5rem 1.25rem; background: #fbfaf7; }}
header {{ border-bottom: 3px solid #8b1e3f; margin-bottom: 1.25rem; }}
.crumbs {{ color: #666; font: 0.85rem system-ui, sans-serif; margin: 0; }}
h1 {{ font-size: 1.7rem; margin: 0.2rem 0 0.6rem; }}
iframe {{ background: #fff; border-radius: 8px; box-shadow: 0 1px 4px rgba(0,0,0,.15); }}
</style>
<header><p class="crumbs">CS 201 · Algorithms and Data Structures</p>
<h1>Week 5: Sorting</h1></header>
<p>Before Thursday's lecture: which of these algorithms keeps records with equal keys in their
original order? Vote with the link from the chat; the results below move as votes arrive.</p>
{snippet}
<p>Reading for Thursday: sections 2.2 (mergesort) and 2.3 (quicksort).</p>
"""


def press(target: Locator, touch: bool) -> None:
    """A finger on a phone, a mouse elsewhere."""
    if touch:
        target.tap()
    else:
        target.click()


def sign_in_with_github(page: Page, login: str, touch: bool = False) -> None:
    press(page.get_by_role("link", name="Sign in with GitHub"), touch)
    press(page.get_by_role("button", name=f"Authorize as {login}"), touch)


def open_link_and_sign_in(page: Page, link: str, person: Person, touch: bool = False) -> None:
    """Open the shared link, sign in with GitHub from the poll page itself and land back on
    the poll. (A guest needs no sign-in first: `vote_as_guest`.)"""
    assert person.login, "guests vote and join in one submit"
    page.goto(link)
    expect(page.get_by_role("heading", name=QUESTION)).to_be_visible()
    sign_in_with_github(page, person.login, touch)
    expect(page).to_have_url(link)
    expect(page.locator(".whoami")).to_contain_text(person.name)


def vote(page: Page, response: str, touch: bool = False) -> None:
    press(page.get_by_role("radio", name=response), touch)
    press(page.locator("#vote-form").get_by_role("button"), touch)
    expect(page.locator("#vote-status")).to_have_text(f"Your vote for “{response}” is in.")


def vote_as_guest(page: Page, link: str, person: Person, response: str) -> None:
    """Open the shared link and vote with a name, in one submit: joined as a guest."""
    page.goto(link)
    expect(page.get_by_role("heading", name=QUESTION)).to_be_visible()
    page.get_by_role("radio", name=response).check()
    page.get_by_label("Your name").fill(person.name)
    page.locator("#vote-form").get_by_role("button", name="Vote").click()
    expect(page).to_have_url(link)
    expect(page.locator("#vote-status")).to_have_text(f"Your vote for “{response}” is in.")
    expect(page.locator(".whoami")).to_contain_text(person.name)


def expect_results(
    scope: Page | FrameLocator, expected: dict[str, list[Person]], timeout: float = LIVE
) -> None:
    """What anyone looking sees: the total, each response's count, percentage and bar, and
    each voter's picture (alt and hover title) in the response they chose."""
    total = sum(len(people) for people in expected.values())
    expect(scope.locator("#total-votes")).to_have_text(f"{total} votes", timeout=timeout)
    for response, people in expected.items():
        row = response_row(scope, response)
        percent = round(100 * len(people) / total)
        expect(row.locator(".choice-count")).to_have_text(f"{len(people)} {percent}%")
        expect(row.locator("progress")).to_have_attribute("value", str(percent))
        expect(row.locator("img.voter")).to_have_count(len(people))
        for person in people:
            picture = row.locator(f'img.voter[alt="{person.alt}"]')
            expect(picture).to_have_attribute("title", person.title)
            expect(picture).to_be_visible()


def expect_closed(scope: Page | FrameLocator, timeout: float) -> None:
    expect(scope.locator("#results")).to_have_attribute("data-state", "closed", timeout=timeout)
    expect(scope.locator("#poll-meta")).to_contain_text("Voting closed")


def expect_voting_stopped(page: Page, timeout: float) -> None:
    expect_closed(page, timeout)
    expect(page.locator("#vote-panel")).to_contain_text(
        "Voting closed. The results below are final."
    )
    expect(page.locator("#vote-form")).to_have_count(0)
    for button in ("Vote", "Change my vote"):
        expect(page.get_by_role("button", name=button, exact=True)).to_have_count(0)


def live_root(scope: Page | FrameLocator) -> Locator:
    return scope.locator("#poll-live")


def reconnecting_notice(scope: Page | FrameLocator) -> Locator:
    """What a person sees while the live connection is down."""
    return scope.get_by_role("status").filter(has_text="Reconnecting")


def loaded_at(page: Page) -> float:
    """When the document was loaded: unchanged as long as nobody reloads the page."""
    return page.evaluate("performance.timeOrigin")


def seconds_left(closes_at: datetime) -> float:
    return (closes_at - datetime.now(UTC)).total_seconds()
