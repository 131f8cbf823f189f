"""What an owner may type as a room's roster."""

from __future__ import annotations

import pytest

from crowdsource.domain.roster import ROSTER_MAX, RosterInvalid, RosterSpec, validate_roster


def test_logins_one_per_line_kept_as_typed_each_person_once() -> None:
    spec = validate_roster(
        "octo-ada\n\n  @Grace-H \nocto-ADA\nlinus@school-login\r\nemu_acme", "", ""
    )
    assert spec == RosterSpec(("octo-ada", "Grace-H", "linus@school-login", "emu_acme"))
    assert spec.active and spec.members_text.splitlines()[1] == "Grace-H"


def test_an_org_and_team_are_lower_case_and_a_team_needs_its_org() -> None:
    assert validate_roster("", " CS101-Spring ", "Section-B") == RosterSpec(
        (), "cs101-spring", "section-b"
    )
    with pytest.raises(RosterInvalid) as refused:
        validate_roster("", "", "section-b")
    assert "Name the organisation" in refused.value.errors["github_team"]
    assert not validate_roster("", "", "").active


@pytest.mark.parametrize(
    "line", ["guest~1234", "-ada", "ada-", "a--b", "ada lovelace", "<script>", "a" * 101, "é"]
)
def test_characters_github_forbids_are_refused_by_name(line: str) -> None:
    with pytest.raises(RosterInvalid) as refused:
        validate_roster(f"octo-ada\n{line}", "", "")
    message = refused.value.errors["members"]
    assert "Not a login" in message and "Nothing was saved" in message


@pytest.mark.parametrize("org", ["-cs", "cs_101", "a" * 40, "cs 101", "cs/101"])
def test_bad_org_names(org: str) -> None:
    with pytest.raises(RosterInvalid) as refused:
        validate_roster("", org, "")
    assert "github_org" in refused.value.errors


def test_up_to_the_limit_and_a_clear_refusal_beyond() -> None:
    assert (
        len(validate_roster("\n".join(f"s{i}" for i in range(ROSTER_MAX)), "", "").members)
        == ROSTER_MAX
    )
    with pytest.raises(RosterInvalid) as refused:
        validate_roster("\n".join(f"s{i}" for i in range(5000)), "", "")
    assert f"up to {ROSTER_MAX} logins; this one has 5000" in refused.value.errors["members"]


def test_many_bad_lines_are_summed_up() -> None:
    with pytest.raises(RosterInvalid) as refused:
        validate_roster("\n".join(f"bad line {i}" for i in range(9)), "", "")
    assert "and 4 more" in refused.value.errors["members"]
