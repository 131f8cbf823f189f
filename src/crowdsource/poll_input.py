"""Validation of a new poll as a person fills it in: every problem, per field, in plain words."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from crowdsource.models import CHOICE_MAX, QUESTION_MAX
from crowdsource.text import clean_line

MIN_CHOICES = 2
MAX_CHOICES = 12
RESULTS_VISIBILITY = ("always", "after_vote", "after_close")
SHOW_VOTERS = ("owner", "everyone")
TIMEZONE_MAX = 64


@dataclass(frozen=True)
class PollSpec:
    """A valid poll, ready to be stored."""

    question: str
    choices: tuple[str, ...]
    closes_at: datetime | None = None
    results_visibility: str = "always"
    show_voters: str = "owner"


class PollInvalid(ValueError):
    """The form has problems; `errors` maps a field name to a message for that field."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{field}: {message}" for field, message in errors.items()))
        self.errors = errors


def parse_closes_at(raw: str, timezone: str, now: datetime) -> datetime:
    """ISO 8601 with an offset, or a wall-clock time read in the IANA zone `timezone`
    (UTC when empty). Returns UTC. Raises ValueError with a message for the person."""
    try:
        moment = datetime.fromisoformat(raw.strip().replace("z", "Z"))
    except ValueError:
        raise ValueError("Give the end time as a date and time, like 2030-05-17T14:30.") from None
    if moment.tzinfo is None:
        zone_name = clean_line(timezone)[:TIMEZONE_MAX] or "UTC"
        try:
            zone = ZoneInfo(zone_name)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"Unknown time zone {zone_name!r}.") from None
        moment = moment.replace(tzinfo=zone)
    moment = moment.astimezone(UTC)
    if moment <= now:
        raise ValueError("The end time has already passed: pick a time in the future.")
    return moment


def _check_question(raw: object) -> tuple[str, str | None]:
    question = clean_line(raw)
    if not question:
        return question, "Write a question."
    if len(question) > QUESTION_MAX:
        return question, f"Keep the question to {QUESTION_MAX} characters (it has {len(question)})."
    return question, None


def _check_choices(raw: Iterable[object]) -> tuple[tuple[str, ...], str | None]:
    choices = tuple(label for label in (clean_line(item) for item in raw) if label)
    too_long = [label for label in choices if len(label) > CHOICE_MAX]
    folded = [label.casefold() for label in choices]
    if len(choices) < MIN_CHOICES:
        return choices, f"Give at least {MIN_CHOICES} responses."
    if len(choices) > MAX_CHOICES:
        return choices, f"At most {MAX_CHOICES} responses, please."
    if too_long:
        return choices, f"Keep each response to {CHOICE_MAX} characters."
    if len(set(folded)) != len(folded):
        return choices, "Each response must be different."
    return choices, None


def validate_poll(
    *,
    question: object,
    choices: Iterable[object],
    closes_at: str = "",
    timezone: str = "",
    results_visibility: str = "always",
    show_voters: str = "owner",
    now: datetime,
) -> PollSpec:
    """Return a PollSpec, or raise PollInvalid naming every field that is wrong."""
    errors: dict[str, str] = {}
    clean_question, problem = _check_question(question)
    if problem:
        errors["question"] = problem
    clean_choices, problem = _check_choices(choices)
    if problem:
        errors["choices"] = problem
    closing: datetime | None = None
    if closes_at and closes_at.strip():
        try:
            closing = parse_closes_at(closes_at, timezone, now)
        except ValueError as error:
            errors["closes_at"] = str(error)
    visibility = results_visibility or "always"
    if visibility not in RESULTS_VISIBILITY:
        errors["results_visibility"] = "Choose when results are shown."
    voters = show_voters or "owner"
    if voters not in SHOW_VOTERS:
        errors["show_voters"] = "Choose who sees the voters."
    if errors:
        raise PollInvalid(errors)
    return PollSpec(clean_question, clean_choices, closing, visibility, voters)
