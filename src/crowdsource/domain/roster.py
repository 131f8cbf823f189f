"""A room's roster as the owner types it: logins one per line, a GitHub organisation and
maybe a team of it. Validation only; roster_store.py writes it, membership.py judges it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from crowdsource.domain.models import LOGIN_MAX
from crowdsource.domain.roster_models import ORG_MAX, TEAM_MAX
from crowdsource.i18n.current import Text, ntext

ROSTER_MAX = 2000  # logins on one roster: the largest lecture course, with room to spare
# A GitHub login (letters, digits, single hyphens inside; Enterprise Managed Users add
# `_shortcode`), or an OpenID login as the app shows it: `name@provider` of letters,
# digits, `.`, `_`, `-`. Nothing else: a guest's `guest~` can never be listed.
GITHUB_LOGIN = r"[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9]))*(?:_[A-Za-z0-9]+)?"
OIDC_LOGIN = r"[A-Za-z0-9._-]+@[a-z0-9-]+"
LOGIN = re.compile(rf"{GITHUB_LOGIN}|{OIDC_LOGIN}")
ORG = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9]))*")
TEAM = re.compile(r"[A-Za-z0-9_.-]+")
SHOWN_BAD = 5  # bad lines named in the message


class RosterInvalid(ValueError):
    """The roster fields have problems; `errors` maps a field name to its message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{field}: {message}" for field, message in errors.items()))
        self.errors = errors


@dataclass(frozen=True)
class RosterSpec:
    """A valid roster: the listed logins (as typed, each person once, in order) and the
    organisation and team (lower case; empty when not used). Empty: everyone may vote."""

    members: tuple[str, ...] = ()
    github_org: str = ""
    github_team: str = ""

    @property
    def active(self) -> bool:
        return bool(self.members or self.github_org)

    @property
    def members_text(self) -> str:
        return "\n".join(self.members)


def member_key(login: str) -> str:
    """How a login is matched: GitHub and the app treat logins without regard to case."""
    return login.casefold()


def _members(raw: object) -> tuple[str, ...]:
    lines = [line.strip().lstrip("@") for line in str(raw or "").splitlines()]
    lines = [line for line in lines if line]
    if len(lines) > ROSTER_MAX:
        raise RosterInvalid(
            {
                "members": ntext(
                    "A roster holds up to %(max)s logins; this one has %(count)s. Nothing was "
                    "saved: split the class into rooms, or name a GitHub organisation or team "
                    "instead.",
                    "A roster holds up to %(max)s logins; this one has %(count)s. Nothing was "
                    "saved: split the class into rooms, or name a GitHub organisation or team "
                    "instead.",
                    len(lines),
                    max=ROSTER_MAX,
                )
            }
        )
    bad = [line for line in lines if len(line) > LOGIN_MAX or not LOGIN.fullmatch(line)]
    if bad:
        named = ", ".join(f"“{line[:40]}”" for line in bad[:SHOWN_BAD])  # as typed
        # Translators: named is a list of what was typed, each in quotes, with commas
        problem = Text(
            "Not a login: %(named)s. One login per line: letters, digits and hyphens "
            "(GitHub), or name@provider as shown next to votes. Nothing was saved.",
            named=named,
        )
        if len(bad) > SHOWN_BAD:
            problem = ntext(
                "Not a login: %(named)s and %(count)s more. One login per line: letters, "
                "digits and hyphens (GitHub), or name@provider as shown next to votes. "
                "Nothing was saved.",
                "Not a login: %(named)s and %(count)s more. One login per line: letters, "
                "digits and hyphens (GitHub), or name@provider as shown next to votes. "
                "Nothing was saved.",
                len(bad) - SHOWN_BAD,
                named=named,
            )
        raise RosterInvalid({"members": problem})
    seen: dict[str, str] = {}
    for line in lines:
        seen.setdefault(member_key(line), line)
    return tuple(seen.values())


def validate_roster(members: object, github_org: object, github_team: object) -> RosterSpec:
    """The roster typed in the form, or RosterInvalid naming every field that is wrong."""
    errors: dict[str, str] = {}
    listed: tuple[str, ...] = ()
    try:
        listed = _members(members)
    except RosterInvalid as invalid:
        errors.update(invalid.errors)
    org = str(github_org or "").strip().lstrip("@")
    team = str(github_team or "").strip()
    if org and (len(org) > ORG_MAX or not ORG.fullmatch(org)):
        errors["github_org"] = Text(
            "A GitHub organisation's name is up to %(max)s letters, digits and single "
            "hyphens, as in github.com/NAME.",
            max=ORG_MAX,
        )
    if team and not org:
        errors["github_team"] = Text("Name the organisation the team belongs to.")
    elif team and (len(team) > TEAM_MAX or not TEAM.fullmatch(team)):
        # Translators: ORG and SLUG stand for the parts of the address: keep them as they are
        errors["github_team"] = Text(
            "Give the team's slug, as in github.com/orgs/ORG/teams/SLUG (letters, digits, hyphens)."
        )
    if errors:
        raise RosterInvalid(errors)
    return RosterSpec(listed, org.lower(), team.lower())
