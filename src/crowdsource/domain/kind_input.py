"""Validation of what a question's kind needs, as the create form sends it: per field, in
plain words. The form's field names are the contract's (`kind`, `min_picks`, `max_picks`,
`scale_*`, `banned_words`, `correct`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from crowdsource.domain.kinds import (
    SCALE_DEFAULT,
    SCALE_HIGHEST,
    SCALE_LOWEST,
    Kind,
    banned_list,
    scale_labels,
)
from crowdsource.domain.models import BANNED_WORDS_MAX, SCALE_LABEL_MAX, Poll
from crowdsource.domain.text import clean_line
from crowdsource.i18n.current import Text, ntext

KIND_FIELDS = (
    "kind",
    "min_picks",
    "max_picks",
    "scale_min",
    "scale_max",
    "scale_min_label",
    "scale_max_label",
    "banned_words",
    "ask_confidence",
)  # one value each; `correct` repeats


@dataclass(frozen=True)
class KindSpec:
    """A valid kind with its settings. `correct`: 0-based positions of a quiz's correct
    responses among the non-blank ones."""

    kind: Kind = Kind.SINGLE
    min_picks: int | None = None
    max_picks: int | None = None
    scale_min: int = SCALE_DEFAULT[0]
    scale_max: int = SCALE_DEFAULT[1]
    scale_min_label: str = ""
    scale_max_label: str = ""
    banned_words: str = ""
    correct: tuple[int, ...] = ()
    ask_confidence: bool = False  # the vote form asks "How sure are you?" (not for text)

    def responses(self, written: tuple[str, ...]) -> tuple[str, ...]:
        """The responses stored: those written, a scale's numbers, or none for text."""
        if self.kind == Kind.SCALE:
            return scale_labels(self.scale_min, self.scale_max)
        return written if self.kind.has_choices else ()

    def stored(self) -> dict[str, object]:
        """The poll's columns for this kind."""
        return {
            "kind": self.kind.value,
            "min_picks": self.min_picks,
            "max_picks": self.max_picks,
            "scale_min_label": self.scale_min_label,
            "scale_max_label": self.scale_max_label,
            "banned_words": self.banned_words,
            "ask_confidence": self.ask_confidence,
        }


SINGLE = KindSpec()  # the default kind: pick one, no quiz


def kind_of(poll: Poll, responses: list[tuple[str, bool]]) -> KindSpec:
    """The KindSpec a stored poll was made with (to copy it), from its responses in order:
    (label, correct)."""
    kind = Kind(poll.kind)
    scale = SCALE_DEFAULT
    if kind == Kind.SCALE and responses:
        scale = (int(responses[0][0]), int(responses[-1][0]))
    return KindSpec(
        kind,
        min_picks=poll.min_picks,
        max_picks=poll.max_picks,
        scale_min=scale[0],
        scale_max=scale[1],
        scale_min_label=poll.scale_min_label,
        scale_max_label=poll.scale_max_label,
        banned_words=poll.banned_words,
        correct=tuple(place for place, (_, correct) in enumerate(responses) if correct),
        ask_confidence=poll.ask_confidence,
    )


def _whole(raw: object, low: int, high: int, problem: str) -> tuple[int | None, str | None]:
    text = clean_line(raw)
    if not text:
        return None, None
    if not (text.isascii() and text.isdigit() and len(text) <= 3) or not low <= int(text) <= high:
        return None, problem
    return int(text), None


def _label(raw: object, errors: dict[str, str], name: str) -> str:
    label = clean_line(raw)
    if len(label) > SCALE_LABEL_MAX:
        errors[name] = ntext(
            "Keep this label to %(count)s character (it has %(length)s).",
            "Keep this label to %(count)s characters (it has %(length)s).",
            SCALE_LABEL_MAX,
            length=len(label),
        )
    return label


def _picks(values: Mapping[str, object], count: int, errors: dict[str, str]) -> tuple[int, int]:
    """A `multiple` poll's limits on picks, checked against its `count` responses."""
    top = max(count, 1)
    problem = Text("Give a whole number from 1 to the number of responses (%(top)s).", top=top)
    lowest, wrong = _whole(values.get("min_picks"), 1, top, problem)
    if wrong:
        errors["min_picks"] = wrong
    highest, wrong = _whole(values.get("max_picks"), 1, top, problem)
    if wrong:
        errors["max_picks"] = wrong
    lowest, highest = lowest or 1, highest or top
    if "min_picks" not in errors and "max_picks" not in errors and lowest > highest:
        # Translators: "At most" and "at least" are the labels of the two fields of the form
        errors["max_picks"] = Text(
            "At most must not be fewer than at least (%(lowest)s).", lowest=lowest
        )
    return lowest, highest


def _scale(values: Mapping[str, object], errors: dict[str, str]) -> tuple[int, int]:
    low_problem = Text(
        "A scale starts at %(first)s or %(second)s.", first=SCALE_LOWEST[0], second=SCALE_LOWEST[1]
    )
    lowest, wrong = _whole(values.get("scale_min"), *SCALE_LOWEST, low_problem)
    if wrong:
        errors["scale_min"] = wrong
    high_problem = Text(
        "A scale ends at a number from %(low)s to %(high)s.",
        low=SCALE_HIGHEST[0],
        high=SCALE_HIGHEST[1],
    )
    highest, wrong = _whole(values.get("scale_max"), *SCALE_HIGHEST, high_problem)
    if wrong:
        errors["scale_max"] = wrong
    return (SCALE_DEFAULT[0] if lowest is None else lowest), (highest or SCALE_DEFAULT[1])


def _correct(raw: Iterable[object], count: int, errors: dict[str, str]) -> tuple[int, ...]:
    """1-based positions, as the form sends them, to 0-based ones."""
    positions: list[int] = []
    for item in raw:
        number, wrong = _whole(
            item, 1, max(count, 1), Text("Mark correct only responses you wrote.")
        )
        if wrong:
            errors["correct"] = wrong
        elif number is not None:
            positions.append(number - 1)
    return tuple(sorted(set(positions)))


def validate_kind(
    values: Mapping[str, object], correct: Iterable[object], written: tuple[str, ...]
) -> tuple[KindSpec, dict[str, str]]:
    """The kind and its settings from a form, with the problems per field. `written`: the
    non-blank responses typed (their count bounds the picks and the correct positions)."""
    errors: dict[str, str] = {}
    raw_kind = clean_line(values.get("kind")) or Kind.SINGLE.value
    if not Kind.accepts(raw_kind):
        errors["kind"] = Text("Choose the kind of question.")
        return SINGLE, errors
    kind = Kind(raw_kind)
    if kind == Kind.MULTIPLE:
        lowest, highest = _picks(values, len(written), errors)
        spec = KindSpec(kind, min_picks=lowest, max_picks=highest)
    elif kind == Kind.SCALE:
        lowest, highest = _scale(values, errors)
        spec = KindSpec(
            kind,
            scale_min=lowest,
            scale_max=highest,
            scale_min_label=_label(values.get("scale_min_label"), errors, "scale_min_label"),
            scale_max_label=_label(values.get("scale_max_label"), errors, "scale_max_label"),
        )
    elif kind == Kind.TEXT:
        banned = ", ".join(banned_list(str(values.get("banned_words") or "")))
        if len(banned) > BANNED_WORDS_MAX:
            errors["banned_words"] = ntext(
                "Keep the list to %(count)s character.",
                "Keep the list to %(count)s characters.",
                BANNED_WORDS_MAX,
            )
        spec = KindSpec(kind, banned_words=banned)
    else:
        spec = KindSpec(kind)
    if kind.can_quiz:
        marked = _correct(correct, len(written), errors)
        if kind == Kind.SINGLE and len(marked) > 1:
            errors["correct"] = Text("A pick-one question has one correct response.")
        spec = replace(spec, correct=marked)
    if kind != Kind.TEXT and clean_line(values.get("ask_confidence")) == "on":
        spec = replace(spec, ask_confidence=True)
    return spec, errors
