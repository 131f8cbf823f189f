"""The owner's #roster as a browser holds it after htmx applies the pushed messages: the
whole panel, then each vote's out-of-band swaps (partials/roster_delta.html) applied the
way htmx does, on the parts they can touch (rows in order, the count); then the missing
logins filled from the rows, as static/js/roster.js does after each message."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from crowdsource.domain.models import Poll
    from crowdsource.realtime.publisher import Publisher
    from tests.helpers.sockets import FakeSocket

ROSTER = '<section id="roster"'  # a whole panel pushed

SECTION = re.compile(r'<section id="roster".*?</section>', re.S)
LIST = re.compile(r'<ul id="([^"]+)" class="roster-members"')
ROW = re.compile(r'<li id="([^"]+)" class="roster-member.*?</li>', re.S)
COUNT = re.compile(r'<p id="roster-count"[^>]*>(.*?)</p>', re.S)
MISSING = re.compile(r'<textarea id="roster-missing-logins"[^>]*>(.*?)</textarea>', re.S)
UNANSWERED = re.compile(r'data-member="([^"]*)" data-answered="false"')
DELETE = re.compile(r'<li id="([^"]+)" hx-swap-oob="delete"></li>')
INSERT = re.compile(
    r'<div id="roster-at-[^"]+" hx-swap-oob="(afterend|afterbegin):#([^"]+)">(.*?)</div>', re.S
)
OOB = re.compile(r' hx-swap-oob="[^"]*"')
SPACES = re.compile(r"\s+")


@dataclass
class RosterDom:
    rows: list[tuple[str, str]] = field(default_factory=list)  # (id, row), in order
    count: str = ""
    missing: str | None = None  # the text of "Not answered yet", None: not on the panel
    panel: str = ""  # the rest of the section, rows taken out
    list_id: str = ""  # the id of the rows' list: a first row is inserted there

    def apply(self, message: str) -> None:
        """One message to the owner's socket: a whole panel, or a delta."""
        section = SECTION.search(message)
        if section:
            html = OOB.sub("", section.group(0))
            self.rows = [(m.group(1), m.group(0).strip()) for m in ROW.finditer(html)]
            self.list_id = LIST.search(html).group(1)  # type: ignore[union-attr]
            self.count = COUNT.search(html).group(1)  # type: ignore[union-attr]
            missing = MISSING.search(html)
            self.missing = missing.group(1) if missing else None
            # What the page's script fills in after a vote is what the server wrote.
            assert self.missing in (None, self.unanswered()), (self.missing, self.unanswered())
            # Whitespace between the rows is left behind by them: not part of the panel.
            self.panel = SPACES.sub(" ", MISSING.sub("", COUNT.sub("", ROW.sub("", html))))
            return
        for op in re.finditer(f"{DELETE.pattern}|{INSERT.pattern}", message, re.S):
            if op.group(1):  # htmx reports a delete with no target as an error
                assert op.group(1) in {row_id for row_id, _ in self.rows}, f"no #{op.group(1)}"
                self.rows = [row for row in self.rows if row[0] != op.group(1)]
                continue
            row = op.group(4).strip()
            if op.group(2) == "afterbegin":  # into the list itself, not an element of that id
                assert op.group(3) == self.list_id, f"a first row put into #{op.group(3)}"
            at = 0 if op.group(2) == "afterbegin" else self.index(op.group(3)) + 1
            self.rows.insert(at, (ROW.search(row).group(1), row))  # type: ignore[union-attr]
        count = COUNT.search(message)
        if count:
            self.count = count.group(1)
        assert not MISSING.search(message), "a vote's update sends the missing logins again"
        if self.missing is not None:
            self.missing = self.unanswered()

    def unanswered(self) -> str:
        """The logins of the rows not answered, in order, as static/js/roster.js joins them
        (escaped as in the markup, like the textarea's text)."""
        return " ".join(m.group(1) for _, row in self.rows for m in UNANSWERED.finditer(row))

    def index(self, element_id: str) -> int:
        return [row_id for row_id, _ in self.rows].index(element_id)


def roster_dom(*messages: str) -> RosterDom:
    dom = RosterDom()
    for message in messages:
        dom.apply(message)
    return dom


def is_roster_message(message: str) -> bool:
    """Told to an owner's #roster on its own: the whole panel, or a vote's change to it
    (which always carries the count)."""
    return ROSTER in message or 'id="roster-count"' in message


def roster_messages(console: FakeSocket) -> list[str]:
    """The messages to an owner's socket that held #roster or a vote's change to it."""
    return [m for m in console.sent if is_roster_message(m)]


async def from_database(publisher: Publisher, poll: Poll) -> str:
    """#roster as a page renders it now, read from the database."""
    return publisher.roster.render(await publisher.roster.status(poll))
