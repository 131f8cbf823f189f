from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from crowdsource.domain.models import Poll
from crowdsource.domain.visibility import (
    COUNTS,
    EVERYTHING,
    HIDDEN,
    ResultsVisibility,
    ShowVoters,
    audience_for,
    is_open,
)
from crowdsource.domain.visibility import (
    OWNER as OWNER_VIEW,
)

NOW = datetime(2030, 1, 1, 12, tzinfo=UTC)
OWNER = 1


def poll(visibility: str = "always", voters: str = "owner", **fields: object) -> Poll:
    return Poll(owner_id=OWNER, results_visibility=visibility, show_voters=voters, **fields)


def test_open_until_closed_or_past_its_end_time() -> None:
    assert is_open(poll(), NOW)
    assert not is_open(poll(closed_at=NOW), NOW)
    assert is_open(poll(closed_at=NOW), NOW - timedelta(microseconds=1))
    assert is_open(poll(closes_at=NOW + timedelta(seconds=1)), NOW)
    assert not is_open(poll(closes_at=NOW), NOW)


@pytest.mark.parametrize(
    ("visibility", "voters", "viewer", "has_voted", "closed", "expected"),
    [
        ("always", "owner", None, False, False, COUNTS),
        ("always", "everyone", None, False, False, EVERYTHING),
        ("always", "owner", OWNER, False, False, OWNER_VIEW),
        ("after_vote", "owner", 2, False, False, HIDDEN),
        ("after_vote", "owner", 2, True, False, COUNTS),
        ("after_vote", "everyone", 2, True, False, EVERYTHING),
        ("after_vote", "owner", None, False, True, COUNTS),
        ("after_close", "everyone", 2, True, False, HIDDEN),
        ("after_close", "everyone", 2, True, True, EVERYTHING),
        ("after_close", "owner", OWNER, False, False, OWNER_VIEW),
    ],
)
def test_audience_rules(
    visibility: str,
    voters: str,
    viewer: int | None,
    has_voted: bool,
    closed: bool,
    expected: object,
) -> None:
    subject = poll(visibility, voters, closed_at=NOW if closed else None)
    assert audience_for(subject, viewer, has_voted, NOW) == expected


def test_there_are_four_render_variants_and_the_owner_shares_none() -> None:
    variants = {HIDDEN.variant, COUNTS.variant, EVERYTHING.variant, OWNER_VIEW.variant}
    assert variants == {"hidden", "counts", "voters", "owner"}


def test_the_settings_are_the_form_values_of_the_contract_with_their_words() -> None:
    assert [str(rule) for rule in ResultsVisibility] == ["always", "after_vote", "after_close"]
    assert [str(rule) for rule in ShowVoters] == ["owner", "everyone", "nobody"]
    assert ResultsVisibility("after_vote").label == "Each person after they vote"
    assert ShowVoters.OWNER.phrase == "only you"
    assert ResultsVisibility.accepts("always") and not ResultsVisibility.accepts("sometimes")
    assert not ShowVoters.accepts(None)
