"""Validation of a new poll as a person fills it in: every problem, per field, in plain words."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from crowdsource.domain.clock import next_whole_second
from crowdsource.domain.kind_input import SINGLE, KindSpec, validate_kind
from crowdsource.domain.models import CHOICE_MAX, QUESTION_MAX
from crowdsource.domain.person_message import PersonMessage
from crowdsource.domain.text import clean_line
from crowdsource.domain.visibility import ResultsVisibility, ShowVoters
from crowdsource.i18n.current import Text, ntext

MIN_CHOICES = 2
MAX_CHOICES = 12
TIMEZONE_MAX = 64
MIN_MINUTES = 1
MAX_MINUTES = 24 * 60
QUICK_CLOSES_IN = (1, 5, 15)  # the create form's "in N minutes" choices
PAST_END = Text("The end time has already passed: pick a time in the future.")
# The latest end a poll may have: far beyond any class, and far enough from datetime's own
# limit (year 9999) that no time zone or extend can overflow it.
LATEST_END = datetime(3000, 1, 1, tzinfo=UTC)
TOO_FAR = Text(
    "That end time is too far away: pick one before the year %(year)s.", year=LATEST_END.year
)
MINUTES_RANGE = Text(
    "Give a whole number of minutes, from %(low)s to %(high)s.", low=MIN_MINUTES, high=MAX_MINUTES
)


class TimeInvalid(PersonMessage, ValueError):
    """An end time or a number of minutes that cannot be used: the message (a `Text`) says
    why, for the person who typed it."""


@dataclass(frozen=True)
class PollSpec:
    """A valid poll, ready to be stored."""

    question: str
    choices: tuple[str, ...]
    closes_at: datetime | None = None
    results_visibility: ResultsVisibility = ResultsVisibility.ALWAYS
    show_voters: ShowVoters = ShowVoters.OWNER
    kind: KindSpec = SINGLE

    @property
    def responses(self) -> tuple[str, ...]:
        """The responses to store: those written, a scale's numbers, or none (text)."""
        return self.kind.responses(self.choices)


class PollInvalid(ValueError):
    """The form has problems; `errors` maps a field name to a message for that field."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{field}: {message}" for field, message in errors.items()))
        self.errors = errors


def parse_closes_at(raw: str, timezone: str, now: datetime) -> datetime:
    """ISO 8601 with an offset, or a wall-clock time read in the IANA zone `timezone`
    (UTC when empty). Returns UTC. Raises TimeInvalid with a message for the person."""
    try:
        moment = datetime.fromisoformat(raw.strip().replace("z", "Z"))
    except ValueError:
        raise TimeInvalid(
            Text("Give the end time as a date and time, like 2030-05-17T14:30.")
        ) from None
    if moment.tzinfo is None:
        zone_name = clean_line(timezone)[:TIMEZONE_MAX] or "UTC"
        try:
            zone = ZoneInfo(zone_name)
        except (ZoneInfoNotFoundError, ValueError):
            raise TimeInvalid(Text("Unknown time zone %(zone)s.", zone=repr(zone_name))) from None
        moment = moment.replace(tzinfo=zone)
    try:
        moment = moment.astimezone(UTC)
    except OverflowError:  # the first or last day datetime knows, moved past it by the zone
        raise TimeInvalid(TOO_FAR if moment.year > now.year else PAST_END) from None
    check_end_time(moment, now)
    return moment


def check_end_time(moment: datetime, now: datetime) -> None:
    """Raise TimeInvalid with a message unless `moment` is after `now` and before LATEST_END."""
    if moment <= now:
        raise TimeInvalid(PAST_END)
    if moment >= LATEST_END:
        raise TimeInvalid(TOO_FAR)


def parse_minutes(raw: object) -> int:
    """A whole number of minutes from 1 to 24 hours. Raises TimeInvalid with a message."""
    text = raw.strip() if isinstance(raw, str) else str(raw) if isinstance(raw, int) else ""
    if not (text.isascii() and text.isdigit() and len(text) <= 5):
        raise TimeInvalid(MINUTES_RANGE)
    minutes = int(text)
    if not MIN_MINUTES <= minutes <= MAX_MINUTES:
        raise TimeInvalid(MINUTES_RANGE)
    return minutes


def parse_end_time(closes_at: str, closes_in: str, timezone: str, now: datetime) -> datetime | None:
    """The end time of a poll from a form: `closes_in` minutes from now (a quick choice) or
    `closes_at` (see parse_closes_at), never both. None when neither is given."""
    quick, exact = (closes_in or "").strip(), (closes_at or "").strip()
    if quick and exact:
        raise TimeInvalid(Text("Choose a quick end time or a date and time, not both."))
    if quick:
        return next_whole_second(now + timedelta(minutes=parse_minutes(quick)))
    return parse_closes_at(exact, timezone, now) if exact else None


def check_visibility(results_visibility: str, show_voters: str) -> dict[str, str]:
    """Problems with the two visibility settings, per field (empty when both are valid)."""
    errors: dict[str, str] = {}
    if not ResultsVisibility.accepts(results_visibility):
        errors["results_visibility"] = Text("Choose when results are shown.")
    if not ShowVoters.accepts(show_voters):
        errors["show_voters"] = Text("Choose who sees the voters.")
    return errors


def _check_question(raw: object) -> tuple[str, str | None]:
    question = clean_line(raw)
    if not question:
        return question, Text("Write a question.")
    if len(question) > QUESTION_MAX:
        return question, ntext(
            "Keep the question to %(count)s character (it has %(length)s).",
            "Keep the question to %(count)s characters (it has %(length)s).",
            QUESTION_MAX,
            length=len(question),
        )
    return question, None


def _check_choices(raw: Iterable[object]) -> tuple[tuple[str, ...], str | None]:
    choices = tuple(label for label in (clean_line(item) for item in raw) if label)
    too_long = [label for label in choices if len(label) > CHOICE_MAX]
    folded = [label.casefold() for label in choices]
    if len(choices) < MIN_CHOICES:
        return choices, ntext(
            "Give at least %(count)s response.", "Give at least %(count)s responses.", MIN_CHOICES
        )
    if len(choices) > MAX_CHOICES:
        return choices, ntext(
            "At most %(count)s response, please.",
            "At most %(count)s responses, please.",
            MAX_CHOICES,
        )
    if too_long:
        return choices, ntext(
            "Keep each response to %(count)s character.",
            "Keep each response to %(count)s characters.",
            CHOICE_MAX,
        )
    if len(set(folded)) != len(folded):
        return choices, Text("Each response must be different.")
    return choices, None


def validate_poll(
    *,
    question: object,
    choices: Iterable[object],
    closes_at: str = "",
    timezone: str = "",
    closes_in: str = "",
    results_visibility: str = ResultsVisibility.ALWAYS,
    show_voters: str = ShowVoters.OWNER,
    kind_values: Mapping[str, object] | None = None,
    correct: Iterable[object] = (),
    now: datetime,
) -> PollSpec:
    """Return a PollSpec, or raise PollInvalid naming every field that is wrong.
    `kind_values`: the kind and its settings (kind_input.KIND_FIELDS); `correct`: a quiz's
    correct responses, 1-based among the non-blank ones."""
    errors: dict[str, str] = {}
    clean_question, problem = _check_question(question)
    if problem:
        errors["question"] = problem
    clean_choices, problem = _check_choices(choices)
    kind, kind_errors = validate_kind(kind_values or {}, correct, clean_choices)
    if kind.kind.has_choices and problem:
        errors["choices"] = problem
    errors.update(kind_errors)
    closing: datetime | None = None
    try:
        closing = parse_end_time(closes_at, closes_in, timezone, now)
    except ValueError as error:
        errors["closes_at"] = str(error)  # TimeInvalid: the Text itself
    visibility = results_visibility or ResultsVisibility.ALWAYS
    voters = show_voters or ShowVoters.OWNER
    errors.update(check_visibility(visibility, voters))
    if errors:
        raise PollInvalid(errors)
    return PollSpec(
        clean_question,
        clean_choices if kind.kind.has_choices else (),
        closing,
        ResultsVisibility(visibility),
        ShowVoters(voters),
        kind,
    )
