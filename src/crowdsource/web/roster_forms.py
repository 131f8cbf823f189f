"""The roster fields of the create-room form and the host console: what was typed, read
and shown back."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from crowdsource.domain.roster import RosterSpec, validate_roster
from crowdsource.i18n.current import Text

ROSTER_FIELDS = ("members", "github_org", "github_team")


def typed_roster(form: Mapping[str, Any]) -> dict[str, str]:
    """The roster fields as posted (missing ones empty)."""
    return {name: str(form.get(name, "") or "") for name in ROSTER_FIELDS}


def roster_spec(typed: Mapping[str, str]) -> RosterSpec:
    """The roster typed (RosterInvalid when some field is wrong)."""
    return validate_roster(typed["members"], typed["github_org"], typed["github_team"])


def roster_form(
    spec: RosterSpec | None = None,
    typed: Mapping[str, str] | None = None,
    errors: Mapping[str, str] | None = None,
    warning: str | None = None,
) -> dict[str, Any]:
    """What the roster fields show: as typed after a refusal, else the stored roster."""
    spec = spec or RosterSpec()
    shown = typed or {
        "members": spec.members_text,
        "github_org": spec.github_org,
        "github_team": spec.github_team,
    }
    return {
        **shown,
        "errors": dict(errors or {}),
        "warning": warning,
        "active": spec.active,
        "listed": len(spec.members),
        "github_org": shown["github_org"],
    }


async def org_warning(providers: Mapping[str, Any], spec: RosterSpec) -> Text | None:
    """A warning when GitHub knows no organisation of the roster's name (it is kept: the
    organisation may be created later, or GitHub may be unreachable now)."""
    github = providers.get("github")
    if not spec.github_org or github is None:
        return None
    if await github.org_exists(spec.github_org) is False:
        return Text(
            "GitHub knows no organisation “%(org)s”: check its spelling. The roster keeps it.",
            org=spec.github_org,
        )
    return None
