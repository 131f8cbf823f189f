"""The kinds of question and what a ballot of each kind holds: one response (`single`, and a
`scale`, whose responses are its numbers), a set of responses (`multiple`) or an open answer
(`text`). Reading a form's or a frame's raw value into a ballot happens here, once."""

from __future__ import annotations

import re
from dataclasses import dataclass

from crowdsource.domain.models import ANSWER_MAX
from crowdsource.domain.person_message import PersonMessage
from crowdsource.domain.text import clean_line
from crowdsource.domain.visibility import LabelledSetting
from crowdsource.i18n.current import Text, ntext

MAX_ID = 2**31 - 1  # ids are INTEGER columns: a larger number is no response of any poll
SCALE_LOWEST = (0, 1)  # where a scale may start
SCALE_HIGHEST = (2, 10)  # the range its top end may take
SCALE_DEFAULT = (1, 5)
PICK_ONE = Text("Pick one of the responses.")
PICK_SOME = Text("Pick at least one response.")
WRITE_ANSWER = Text("Write your answer, then send it.")


class Kind(LabelledSetting):
    """What a voter gives. `phrase`: how the create form explains it."""

    # Translators: the kinds of question in the create form: a short label in bold, and
    # next to it a phrase (lower case, no full stop) that explains it
    SINGLE = "single", Text("Pick one"), Text("each person picks one response")
    MULTIPLE = "multiple", Text("Pick several"), Text("each person picks one or more responses")
    SCALE = "scale", Text("A scale"), Text("each person picks a number on a scale")
    TEXT = (
        "text",
        Text("Open answer"),
        Text("each person writes a short answer; a word cloud grows"),
    )

    @property
    def has_choices(self) -> bool:
        """Whether the owner writes the responses (a scale's are its numbers; text has none)."""
        return self in (Kind.SINGLE, Kind.MULTIPLE)

    @property
    def can_quiz(self) -> bool:
        return self.has_choices


class BadAnswer(PersonMessage, ValueError):
    """A raw value that is no ballot of the poll's kind; the message (a `Text`) is for the
    voter."""


@dataclass(frozen=True)
class Given:
    """What one voter gave, read from a form or a frame: response ids, or an open answer."""

    picks: tuple[int, ...] = ()
    answer: str | None = None


def _one_id(raw: object) -> int:
    if isinstance(raw, bool) or not isinstance(raw, (str, int)):
        raise BadAnswer(PICK_ONE)
    text = str(raw).strip()
    if not text.isascii() or not text.isdigit() or len(text) > 12 or int(text) > MAX_ID:
        raise BadAnswer(PICK_ONE)
    return int(text)


def read_picks(raw: object, kind: Kind) -> tuple[int, ...]:
    """The response ids sent: `single` and `scale` take exactly one id (not a list);
    `multiple` a list, a lone id being a list of one, repeated ids counting once."""
    if kind != Kind.MULTIPLE and isinstance(raw, (list, tuple)):
        raise BadAnswer(PICK_ONE)
    values = list(raw) if isinstance(raw, (list, tuple)) else [raw]
    if len(values) > 64:
        raise BadAnswer(PICK_ONE)
    picks = tuple(dict.fromkeys(_one_id(value) for value in values))
    if not picks or (kind != Kind.MULTIPLE and len(picks) != 1):
        raise BadAnswer(PICK_ONE if kind != Kind.MULTIPLE else PICK_SOME)
    return picks


def read_answer(raw: object) -> str:
    """An open answer: one line of text, 1 to ANSWER_MAX characters after trimming."""
    if isinstance(raw, (list, tuple)):
        raw = raw[-1] if raw else ""
    if not isinstance(raw, str):
        raise BadAnswer(WRITE_ANSWER)
    answer = clean_line(raw)
    if not answer:
        raise BadAnswer(WRITE_ANSWER)
    if len(answer) > ANSWER_MAX:
        raise BadAnswer(
            ntext(
                "Keep your answer to %(count)s character (it has %(length)s).",
                "Keep your answer to %(count)s characters (it has %(length)s).",
                ANSWER_MAX,
                length=len(answer),
            )
        )
    return answer


def read_given(kind: str, choice: object = None, answer: object = None) -> Given:
    """A ballot's content for a poll of `kind`, or BadAnswer."""
    known = Kind(kind) if Kind.accepts(kind) else Kind.SINGLE
    if known == Kind.TEXT:
        return Given(answer=read_answer(answer))
    if choice is None:
        raise BadAnswer(PICK_ONE if known != Kind.MULTIPLE else PICK_SOME)
    return Given(picks=read_picks(choice, known))


def pick_rule_broken(count: int, min_picks: int, max_picks: int) -> str | None:
    """Why `count` picks break a `multiple` poll's rule, in the voter's words; None if fine."""
    if count < min_picks:
        if min_picks <= 1:
            return PICK_ONE
        return ntext(
            "Pick at least %(count)s response.", "Pick at least %(count)s responses.", min_picks
        )
    if count > max_picks:
        if max_picks <= 1:
            return PICK_ONE
        return ntext(
            "Pick at most %(count)s response.", "Pick at most %(count)s responses.", max_picks
        )
    return None


def banned_list(raw: str) -> tuple[str, ...]:
    """The refused words of a text poll, from its comma-separated setting (case-folded)."""
    return tuple(dict.fromkeys(w for w in (clean_line(p).casefold() for p in raw.split(",")) if w))


def contains_banned(answer: str, banned: tuple[str, ...]) -> bool:
    """Whether the answer holds a refused word or phrase, as a whole word, any case."""
    folded = answer.casefold()
    return any(re.search(rf"(?<!\w){re.escape(word)}(?!\w)", folded) for word in banned)


def scale_labels(lowest: int, highest: int) -> tuple[str, ...]:
    """A scale's responses: its numbers, in order."""
    return tuple(str(number) for number in range(lowest, highest + 1))
