from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from crowdsource.domain.poll_input import PollInvalid, parse_minutes, validate_poll

NOW = datetime(2030, 5, 17, 12, 0, tzinfo=UTC)


def valid(**overrides: object) -> dict[str, object]:
    values: dict[str, object] = {"question": "Ready?", "choices": ["Yes", "No"], "now": NOW}
    values.update(overrides)
    return values


def errors_of(**overrides: object) -> dict[str, str]:
    with pytest.raises(PollInvalid) as caught:
        validate_poll(**valid(**overrides))  # type: ignore[arg-type]
    return caught.value.errors


def test_a_valid_poll_is_cleaned_and_blanks_are_ignored() -> None:
    spec = validate_poll(**valid(question="  Ready \n now? ", choices=["Yes", " ", "No", ""]))  # type: ignore[arg-type]
    assert spec.question == "Ready now?"
    assert spec.choices == ("Yes", "No")
    assert spec.results_visibility == "always"
    assert spec.show_voters == "owner"
    assert spec.closes_at is None


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"question": "   "}, "question", "Write a question"),
        ({"question": "x" * 301}, "question", "300 characters"),
        ({"choices": ["Only one"]}, "choices", "at least 2"),
        ({"choices": [f"c{i}" for i in range(13)]}, "choices", "At most 12"),
        ({"choices": ["Same", "same "]}, "choices", "different"),
        ({"choices": ["ok", "y" * 121]}, "choices", "120 characters"),
        ({"closes_at": "2030-05-17T11:59"}, "closes_at", "already passed"),
        ({"closes_at": "next tuesday"}, "closes_at", "date and time"),
        ({"closes_at": "2030-05-18T10:00", "timezone": "Mars/Olympus"}, "closes_at", "time zone"),
        ({"closes_at": "9999-12-31T23:59"}, "closes_at", "before the year 3000"),
        ({"closes_at": "9999-12-31T23:59-05:00"}, "closes_at", "before the year 3000"),
        (
            {"closes_at": "9999-12-31T23:59", "timezone": "America/New_York"},
            "closes_at",
            "before the year 3000",
        ),
        ({"closes_at": "3000-01-01T00:00Z"}, "closes_at", "before the year 3000"),
        ({"closes_at": "0001-01-01T00:00+05:00"}, "closes_at", "already passed"),
        ({"results_visibility": "sometimes"}, "results_visibility", "when results"),
        ({"show_voters": "strangers"}, "show_voters", "who sees"),
        ({"closes_in": "0"}, "closes_at", "from 1 to 1440"),
        ({"closes_in": "soon"}, "closes_at", "whole number"),
        ({"closes_in": "5", "closes_at": "2030-05-18T10:00"}, "closes_at", "not both"),
    ],
)
def test_each_bad_field_gets_its_own_message(
    overrides: dict[str, object], field: str, words: str
) -> None:
    assert words in errors_of(**overrides)[field]


def test_every_problem_is_reported_at_once() -> None:
    assert set(errors_of(question="", choices=[])) == {"question", "choices"}


def test_control_characters_never_reach_storage() -> None:
    spec = validate_poll(**valid(question="Tab\there\x00\x1b[31m?", choices=["a\u202eb", "c"]))  # type: ignore[arg-type]
    assert spec.question == "Tab here[31m?"
    assert spec.choices == ("ab", "c")


def test_local_end_time_is_read_in_the_given_zone_and_stored_in_utc() -> None:
    spec = validate_poll(**valid(closes_at="2030-05-17T15:30", timezone="Europe/Berlin"))  # type: ignore[arg-type]
    assert spec.closes_at == datetime(2030, 5, 17, 13, 30, tzinfo=UTC)


def test_end_time_with_offset_ignores_the_zone() -> None:
    spec = validate_poll(**valid(closes_at="2030-05-17T15:30:00-06:00", timezone="Asia/Tokyo"))  # type: ignore[arg-type]
    assert spec.closes_at == datetime(2030, 5, 17, 21, 30, tzinfo=UTC)


def test_end_time_without_zone_is_utc() -> None:
    spec = validate_poll(**valid(closes_at="2030-05-17T12:01Z"))  # type: ignore[arg-type]
    assert spec.closes_at == datetime(2030, 5, 17, 12, 1, tzinfo=UTC)


@pytest.mark.parametrize("minutes", ["1", "5", "15", " 1440 "])
def test_a_quick_end_time_counts_from_now(minutes: str) -> None:
    spec = validate_poll(**valid(closes_in=minutes))  # type: ignore[arg-type]
    assert spec.closes_at == NOW + timedelta(minutes=int(minutes))


@pytest.mark.parametrize(("raw", "expected"), [("1", 1), ("0015", 15), (1440, 1440), ("  30 ", 30)])
def test_minutes_are_whole_numbers_within_a_day(raw: object, expected: int) -> None:
    assert parse_minutes(raw) == expected


@pytest.mark.parametrize("raw", ["", "0", "1441", "-5", "2.5", "\u0665", None, True, "9" * 9])
def test_other_minutes_are_refused_with_the_range(raw: object) -> None:
    with pytest.raises(ValueError, match="from 1 to 1440"):
        parse_minutes(raw)
