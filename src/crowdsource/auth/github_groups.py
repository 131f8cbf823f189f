"""The GitHub organisations and teams of the person signing in (`GET /user/orgs`,
`GET /user/teams`), read only when some room's roster names an organisation: then sign-in
asks for the `read:org` scope too. Refreshed at every sign-in; GitHub Enterprise answers
the same paths under its `GITHUB_API_URL`."""

from __future__ import annotations

import logging
from typing import Any

import httpx2

from crowdsource.auth.providers import HTTP_TIMEOUT_SECONDS
from crowdsource.domain.roster_models import ORG_MAX, TEAM_MAX

ORG_SCOPE = "read:org"
PER_PAGE = 100
MAX_PAGES = 5  # 500 organisations or teams: more is no student's
HEADERS = {"Accept": "application/vnd.github+json"}

Groups = tuple[tuple[str, str], ...]

log = logging.getLogger(__name__)


def scope_for(base: str, orgs_used: bool) -> str:
    """The scopes asked for: `read:org` only when some roster names an organisation."""
    return f"{base} {ORG_SCOPE}" if orgs_used else base


def _name(value: object, longest: int) -> str | None:
    if isinstance(value, str) and 0 < len(value) <= longest:
        return value.lower()
    return None


def orgs_in(items: object) -> list[tuple[str, str]]:
    """(org, "") for each organisation of a `/user/orgs` page; anything odd is skipped."""
    found = []
    for item in items if isinstance(items, list) else []:
        org = _name(item.get("login"), ORG_MAX) if isinstance(item, dict) else None
        if org:
            found.append((org, ""))
    return found


def teams_in(items: object) -> list[tuple[str, str]]:
    """(org, team slug) for each team of a `/user/teams` page; anything odd is skipped."""
    found = []
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict) or not isinstance(item.get("organization"), dict):
            continue
        org = _name(item["organization"].get("login"), ORG_MAX)
        team = _name(item.get("slug"), TEAM_MAX)
        if org and team:
            found.append((org, team))
    return found


async def _pages(client: Any, token: dict[str, Any], path: str) -> list[object] | None:
    items: list[object] = []
    for page in range(1, MAX_PAGES + 1):
        answer = await client.get(
            path, token=token, headers=HEADERS, params={"per_page": PER_PAGE, "page": page}
        )
        if answer.status_code != 200:
            log.warning(
                "GitHub answered %s to %s: memberships kept as they were", answer.status_code, path
            )
            return None
        batch = answer.json()
        if not isinstance(batch, list):
            return None
        items.extend(batch)
        if len(batch) < PER_PAGE:
            break
    return items


async def read_groups(client: Any, token: dict[str, Any]) -> Groups | None:
    """The person's organisations and teams, lower case; None when GitHub would not say
    (no `read:org` granted, an error): what was stored before is kept then."""
    orgs = await _pages(client, token, "user/orgs")
    teams = await _pages(client, token, "user/teams")
    if orgs is None or teams is None:
        return None
    return tuple(dict.fromkeys(orgs_in(orgs) + teams_in(teams)))


async def organisation_exists(
    api_url: str, org: str, transport: httpx2.AsyncBaseTransport | None = None
) -> bool | None:
    """Whether `GET /orgs/{org}` finds it: True, False (404), None (GitHub did not say: a
    roster is saved anyway, this is only a warning)."""
    options: dict[str, Any] = {"timeout": HTTP_TIMEOUT_SECONDS}
    if transport is not None:
        options["transport"] = transport
    try:
        async with httpx2.AsyncClient(**options) as client:
            answer = await client.get(f"{api_url}/orgs/{org}", headers=HEADERS)
    except httpx2.HTTPError:
        return None
    if answer.status_code == 404:
        return False
    return True if answer.status_code == 200 else None
