"""Who may see what of a poll's results: one rule for every surface."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from crowdsource.i18n.current import Text

if TYPE_CHECKING:  # models name their defaults from the enums below
    from crowdsource.domain.models import Poll


class LabelledSetting(StrEnum):
    """A setting whose value is what forms send and the database stores, with its words."""

    label: str  # the choice in the create form and in the owner's selects
    phrase: str  # how the owner panel's confirmation ends ("Results are shown …")

    def __new__(cls, value: str, label: str, phrase: str) -> LabelledSetting:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        member.phrase = phrase
        return member

    @classmethod
    def accepts(cls, raw: object) -> bool:
        """True when `raw` is the value of one of the members."""
        return isinstance(raw, str) and raw in cls._value2member_map_


class ResultsVisibility(LabelledSetting):
    """When people other than the owner see the counts."""

    # Translators: who sees the results: an option of the create form and the owner's select,
    # then a phrase that ends "Results are shown …"
    ALWAYS = "always", Text("Everyone, live"), Text("to everyone, live")
    AFTER_VOTE = (
        "after_vote",
        Text("Each person after they vote"),
        # Translators: ends "Results are shown …"
        Text("to each person once they have voted"),
    )
    AFTER_CLOSE = (
        "after_close",
        Text("Everyone once voting closes"),
        # Translators: ends "Results are shown …"
        Text("to everyone once voting closes"),
    )


class ShowVoters(LabelledSetting):
    """Who other than the owner sees who voted what (where they see results at all)."""

    # Translators: who sees the voters: an option the owner picks (speaking of themselves),
    # then a phrase told to the owner that ends "Who voted what is shown to …"
    OWNER = "owner", Text("Only me"), Text("only you")
    EVERYONE = (
        "everyone",
        Text("Everyone who sees the results"),
        # Translators: ends "Who voted what is shown to …"
        Text("everyone who sees the results"),
    )
    # Translators: an option the owner picks, then a phrase told to the owner
    NOBODY = "nobody", Text("Nobody, not even me"), Text("nobody, not even you")


@dataclass(frozen=True)
class Audience:
    """What one viewer is shown. The few distinct values are the render variants. `owner`:
    the poll's owner, who alone sees a quiz's correct responses before they are revealed
    (their renders are never shared with anyone else's)."""

    results: bool
    voters: bool
    owner: bool = False

    @property
    def variant(self) -> str:
        if self.owner:
            return "owner" if self.voters else "owner-blind"
        if not self.results:
            return "hidden"
        return "voters" if self.voters else "counts"


HIDDEN = Audience(results=False, voters=False)
COUNTS = Audience(results=True, voters=False)
EVERYTHING = Audience(results=True, voters=True)
OWNER = Audience(results=True, voters=True, owner=True)
BLIND_OWNER = Audience(results=True, voters=False, owner=True)  # of a `nobody` question
AUDIENCES = {
    audience.variant: audience for audience in (HIDDEN, COUNTS, EVERYTHING, OWNER, BLIND_OWNER)
}


def owner_audience(show_voters: str) -> Audience:
    """The owner's: every result, and every voter unless the question names nobody."""
    return BLIND_OWNER if show_voters == ShowVoters.NOBODY else OWNER


def is_open(poll: Poll, now: datetime) -> bool:
    """Open until the instant it was closed by hand or its end time, whichever comes first
    (at that instant it is shut). A vote is judged by its own time, not by which write
    reached the database first."""
    if poll.draft:  # a room's prepared question: not open until it is asked
        return False
    return all(now < end for end in (poll.closed_at, poll.closes_at) if end is not None)


def audience_for(poll: Poll, viewer_id: int | None, has_voted: bool, now: datetime) -> Audience:
    """The owner sees everything; others per the poll's visibility settings."""
    if viewer_id is not None and viewer_id == poll.owner_id:  # type: ignore[attr-defined]
        return owner_audience(poll.show_voters)
    rule = poll.results_visibility
    results = (
        rule == ResultsVisibility.ALWAYS
        or (rule == ResultsVisibility.AFTER_VOTE and (has_voted or not is_open(poll, now)))
        or (rule == ResultsVisibility.AFTER_CLOSE and not is_open(poll, now))
    )
    if not results:
        return HIDDEN
    return EVERYTHING if poll.show_voters == ShowVoters.EVERYONE else COUNTS
