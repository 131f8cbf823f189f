"""Who is on a room's roster: judged with the ballots, just before they are stored
(ballots.store_ballots), so a vote is refused by the roster as stored when it is written."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from typing import NamedTuple

from crowdsource.domain.kept_statements import values_where_in
from crowdsource.domain.models import Poll, User
from crowdsource.domain.roster import member_key
from crowdsource.domain.roster_models import GitHubMembership, RoomRoster, RosterMember
from crowdsource.domain.vote_refusals import VoteRejected
from crowdsource.i18n.current import Text

GITHUB = "github"
GUEST = "guest"
SIGN_IN_AGAIN = Text(
    "Just joined the organisation or team? Sign in again so that the app reads it afresh."
)


class NotOnRoster(VoteRejected):
    """A vote from someone who is not on the room's roster: the message says who may vote
    and who the voter is signed in as."""

    def __init__(self, who_may_vote: str, login: str) -> None:
        super().__init__(
            # Translators: who is a phrase such as "the people your instructor listed";
            # login is the voter's login, or "a guest"
            Text(
                "Only this class votes here: %(who)s. You are signed in as %(login)s.",
                who=who_may_vote,
                login=login,
            )
        )
        self.who_may_vote = who_may_vote
        self.login = login


def who_may_vote(setting: RoomRoster, listed: bool) -> str:
    """The roster in words, for a refused voter (never the list of logins itself): a `Text`
    that ends "Only this class votes here: …"."""
    group: Text | None = None
    if setting.github_org and setting.github_team:
        group = Text(
            "members of the team “%(team)s” of the GitHub organisation “%(org)s”",
            team=setting.github_team,
            org=setting.github_org,
        )
    elif setting.github_org:
        group = Text("members of the GitHub organisation “%(org)s”", org=setting.github_org)
    if listed and group is not None:
        # Translators: group is "members of the GitHub organisation …" (or of a team of it)
        return Text("the people your instructor listed and %(group)s", group=group)
    if listed:
        return Text("the people your instructor listed")
    return group or Text("the class roster")


def in_github_group(setting: RoomRoster, groups: Collection[tuple[str, str]]) -> bool:
    """Whether GitHub memberships `groups` ((org, team), lower case; team "" for the org
    itself) put someone in the roster's organisation or team."""
    if not setting.github_org:
        return False
    if setting.github_team:
        return (setting.github_org, setting.github_team) in groups
    return any(org == setting.github_org for org, _ in groups)  # a team's member is the org's


class Account(NamedTuple):
    """Who a voter is signed in as, as far as a roster asks: their row's id, login and
    provider."""

    id: int
    login: str
    provider: str


ACCOUNT_FIELDS = ("id", "login", "provider")


def is_member(
    user: Account,
    owner_id: int,
    setting: RoomRoster,
    listed_keys: Collection[str],
    groups: Collection[tuple[str, str]],
) -> bool:
    """The room's owner, a listed login (any provider but guests: a guest picks any name),
    or a GitHub user in the roster's organisation or team."""
    if user.id == owner_id:
        return True
    if user.provider == GUEST:
        return False
    if member_key(user.login) in listed_keys:
        return True
    return user.provider == GITHUB and in_github_group(setting, groups)


async def memberships_of(user_ids: Iterable[int]) -> dict[int, set[tuple[str, str]]]:
    """Each user's GitHub organisations and teams, as read at their last sign-in."""
    ids = set(user_ids)
    groups: dict[int, set[tuple[str, str]]] = {user_id: set() for user_id in ids}
    rows = await values_where_in(GitHubMembership, ("user_id", "org", "team"), "user_id", ids)
    for user_id, org, team in rows:
        groups[user_id].add((str(org), str(team)))
    return groups


async def roster_refusals(
    polls: Mapping[int, Poll],
    pairs: Iterable[tuple[int, int]],
    settings: Mapping[int, RoomRoster],
) -> dict[tuple[int, int], NotOnRoster]:
    """Which (poll, voter) pairs a room's roster refuses; `settings`: the rosters of these
    polls' rooms (`ballot_reads.read_facts`). No read when no room of these polls has a
    roster; two or three (voters, listed logins, memberships) when some has: kept
    statements, rows as the driver gives them (a lone vote's three reads took as long as
    the rest of its transaction, `python -m bench.vote_cost --roster`)."""
    room_of = {poll.id: poll.room_id for poll in polls.values() if poll.room_id}  # type: ignore[attr-defined]
    judged = {(poll, voter) for poll, voter in pairs if room_of.get(poll) in settings}
    if not judged:
        return {}
    voter_ids = {voter for _, voter in judged}
    voters = [Account(*row) for row in await values_where_in(User, ACCOUNT_FIELDS, "id", voter_ids)]
    users = {user.id: user for user in voters}
    keys = {member_key(user.login) for user in voters}
    listed = set(
        await values_where_in(
            RosterMember, ("room_id", "login_key"), "room_id", settings, also=("login_key", keys)
        )
    )
    groups = await memberships_of(users) if any(s.github_org for s in settings.values()) else {}
    refused: dict[tuple[int, int], NotOnRoster] = {}
    for poll_id, voter_id in judged:
        room_id, user = room_of[poll_id], users.get(voter_id)
        keys = {key for room, key in listed if room == room_id}
        owner = polls[poll_id].owner_id  # type: ignore[attr-defined]
        if user is None or is_member(
            user, owner, settings[room_id], keys, groups.get(voter_id, set())
        ):
            continue
        has_list = await RosterMember.exists(room_id=room_id)
        refused[(poll_id, voter_id)] = NotOnRoster(
            who_may_vote(settings[room_id], has_list), user.login
        )
    return refused


# Translators: ends "You are signed in as …" for a guest
GUEST_LOGIN = Text("a guest")


async def refuse_guest_on_roster(poll: Poll) -> None:
    """NotOnRoster when `poll` is a question of a room with a roster: a guest picks any
    name, so a guest is never on one."""
    if poll.room_id is None:  # type: ignore[attr-defined]
        return
    setting = await RoomRoster.get_or_none(room_id=poll.room_id)  # type: ignore[attr-defined]
    if setting is not None:
        listed = await RosterMember.exists(room_id=setting.room_id)  # type: ignore[attr-defined]
        raise NotOnRoster(who_may_vote(setting, listed), GUEST_LOGIN)
