"""The tables of rosters and participation (issue 17), kept apart from models.py: a room's
roster, the GitHub organisations and teams a person belongs to (read at sign-in), who took
part in a `show_voters=nobody` question, and that question's ballots stored without voter."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from crowdsource.domain.models import LOGIN_MAX

ORG_MAX = 39  # GitHub's longest organisation (and user) name
TEAM_MAX = 100  # a team's slug
VOTER_KEY_LENGTH = 64  # hex of an HMAC-SHA256


class RoomRoster(Model):
    """A room that has a roster: only its members vote in its questions. The listed logins
    are `RosterMember` rows; `github_org` (and `github_team`, a team slug in it) admit every
    member of that organisation or team as read at their last GitHub sign-in."""

    id = fields.IntField(primary_key=True)
    room: fields.OneToOneRelation = fields.OneToOneField(
        "models.Room", related_name="roster", on_delete=fields.CASCADE
    )
    github_org = fields.CharField(max_length=ORG_MAX, default="")
    github_team = fields.CharField(max_length=TEAM_MAX, default="")

    class Meta:
        table = "room_rosters"


class RosterMember(Model):
    """One login listed on a room's roster, as the owner typed it (matched ignoring case)."""

    id = fields.IntField(primary_key=True)
    room: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "models.Room", related_name="roster_members", on_delete=fields.CASCADE
    )
    login = fields.CharField(max_length=LOGIN_MAX)
    login_key = fields.CharField(max_length=LOGIN_MAX)  # case-folded: one row per person

    class Meta:
        table = "roster_members"
        unique_together = (("room", "login_key"),)


class GitHubMembership(Model):
    """An organisation (`team` empty) or a team of it that a person belonged to at their
    last GitHub sign-in, lower case. Replaced as a whole at each sign-in."""

    id = fields.IntField(primary_key=True)
    user: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "models.User", related_name="github_memberships", on_delete=fields.CASCADE
    )
    org = fields.CharField(max_length=ORG_MAX)
    team = fields.CharField(max_length=TEAM_MAX, default="")

    class Meta:
        table = "github_memberships"
        unique_together = (("user", "org", "team"),)


class Participation(Model):
    """That a person answered a `show_voters=nobody` question, and nothing about what: no
    time, no link to their ballot."""

    id = fields.IntField(primary_key=True)
    poll: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "models.Poll", related_name="participations", on_delete=fields.CASCADE
    )
    voter: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "models.User", related_name="participations", on_delete=fields.CASCADE
    )

    class Meta:
        table = "participations"
        unique_together = (("poll", "voter"),)


class SecretPick(Model):
    """One response picked in a `show_voters=nobody` question. `voter_key` is an HMAC of the
    voter's id under a server key (one vote per person, a change of mind replaces it) and is
    no user id; the random `id` and the missing time say nothing of the order of votes."""

    id = fields.UUIDField(primary_key=True)
    poll: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "models.Poll", related_name="secret_picks", on_delete=fields.CASCADE
    )
    voter_key = fields.CharField(max_length=VOTER_KEY_LENGTH)
    choice: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        "models.Choice", related_name="secret_picks", on_delete=fields.CASCADE, null=True
    )
    answer = fields.CharField(max_length=280, null=True)  # a `text` question's answer

    class Meta:
        table = "secret_picks"
        unique_together = (("poll", "voter_key", "choice"),)
