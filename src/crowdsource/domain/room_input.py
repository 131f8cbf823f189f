"""Validation of what an instructor types for a room: its name, and a question asked in it
(with a quick-ask preset filling what was left blank)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from crowdsource.domain.models import ROOM_NAME_MAX
from crowdsource.domain.poll_input import PollInvalid, PollSpec, parse_minutes, validate_poll
from crowdsource.domain.presets import preset_named
from crowdsource.domain.text import clean_line
from crowdsource.i18n.current import Text, ntext, translated


class RoomInvalid(ValueError):
    """The room form has problems; `errors` maps a field name to a message for that field."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{field}: {message}" for field, message in errors.items()))
        self.errors = errors


def clean_room_name(raw: object) -> str:
    """A room's name: 1 to ROOM_NAME_MAX characters of one line."""
    name = clean_line(raw)
    if not name:
        raise RoomInvalid({"name": Text("Give the room a name, such as the course's.")})
    if len(name) > ROOM_NAME_MAX:
        raise RoomInvalid(
            {
                "name": ntext(
                    "Keep the name to %(count)s character (it has %(length)s).",
                    "Keep the name to %(count)s characters (it has %(length)s).",
                    ROOM_NAME_MAX,
                    length=len(name),
                )
            }
        )
    return name


@dataclass(frozen=True)
class QuestionSpec:
    """A valid room question: the poll, and for one asked later, how long it stays open."""

    poll: PollSpec
    duration: timedelta | None = None


def validate_question(
    *,
    question: object,
    choices: Iterable[object],
    preset: str = "",
    launch: bool,
    closes_at: str = "",
    closes_in: str = "",
    timezone: str = "",
    results_visibility: str = "",
    show_voters: str = "",
    kind_values: Mapping[str, object] | None = None,
    correct: Iterable[object] = (),
    now: datetime,
) -> QuestionSpec:
    """A question for a room, or PollInvalid naming every field that is wrong. A `preset`
    fills a blank question and blank responses, in the language of the page that asks (they
    are stored as the poll's own text: see presets.py). Asked now (`launch`), "closes in N minutes"
    starts now; prepared for later, it starts when the question is asked."""
    listed = [item for item in choices if clean_line(item)]
    if preset:
        try:
            chosen = preset_named(preset)
        except ValueError as unknown:
            raise PollInvalid({"preset": str(unknown)}) from None  # the Text itself
        question = question if clean_line(question) else translated(chosen.question)
        listed = listed or [translated(choice) for choice in chosen.choices]
    duration = None
    if not launch and (closes_in or "").strip() and not (closes_at or "").strip():
        try:
            duration = timedelta(minutes=parse_minutes(closes_in))
        except ValueError as problem:
            raise PollInvalid({"closes_at": str(problem)}) from None  # TimeInvalid's Text
        closes_in = ""
    spec = validate_poll(
        question=question,
        choices=listed,
        closes_at=closes_at,
        closes_in=closes_in,
        timezone=timezone,
        results_visibility=results_visibility,
        show_voters=show_voters,
        kind_values=kind_values,
        correct=correct,
        now=now,
    )
    return QuestionSpec(spec, duration)
