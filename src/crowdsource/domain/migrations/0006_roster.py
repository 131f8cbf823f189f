from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from uuid import uuid4
from tortoise import fields


class Migration(migrations.Migration):
    dependencies = [("models", "0005_rounds")]

    initial = False

    operations = [
        ops.CreateModel(
            name="GitHubMembership",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "user",
                    fields.ForeignKeyField(
                        "models.User",
                        source_field="user_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="github_memberships",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("org", fields.CharField(max_length=39)),
                ("team", fields.CharField(default="", max_length=100)),
            ],
            options={
                "table": "github_memberships",
                "app": "models",
                "unique_together": (("user", "org", "team"),),
                "pk_attr": "id",
                "table_description": "An organisation (`team` empty) or a team of it that a person belonged to at their",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Participation",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "poll",
                    fields.ForeignKeyField(
                        "models.Poll",
                        source_field="poll_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="participations",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "voter",
                    fields.ForeignKeyField(
                        "models.User",
                        source_field="voter_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="participations",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
            ],
            options={
                "table": "participations",
                "app": "models",
                "unique_together": (("poll", "voter"),),
                "pk_attr": "id",
                "table_description": "That a person answered a `show_voters=nobody` question, and nothing about what: no",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="RoomRoster",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "room",
                    fields.OneToOneField(
                        "models.Room",
                        source_field="room_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="roster",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("github_org", fields.CharField(default="", max_length=39)),
                ("github_team", fields.CharField(default="", max_length=100)),
            ],
            options={
                "table": "room_rosters",
                "app": "models",
                "pk_attr": "id",
                "table_description": "A room that has a roster: only its members vote in its questions. The listed logins",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="RosterMember",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "room",
                    fields.ForeignKeyField(
                        "models.Room",
                        source_field="room_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="roster_members",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("login", fields.CharField(max_length=100)),
                ("login_key", fields.CharField(max_length=100)),
            ],
            options={
                "table": "roster_members",
                "app": "models",
                "unique_together": (("room", "login_key"),),
                "pk_attr": "id",
                "table_description": "One login listed on a room's roster, as the owner typed it (matched ignoring case).",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="SecretPick",
            fields=[
                (
                    "id",
                    fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True),
                ),
                (
                    "poll",
                    fields.ForeignKeyField(
                        "models.Poll",
                        source_field="poll_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="secret_picks",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("voter_key", fields.CharField(max_length=64)),
                (
                    "choice",
                    fields.ForeignKeyField(
                        "models.Choice",
                        source_field="choice_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="secret_picks",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("answer", fields.CharField(null=True, max_length=280)),
            ],
            options={
                "table": "secret_picks",
                "app": "models",
                "unique_together": (("poll", "voter_key", "choice"),),
                "pk_attr": "id",
                "table_description": "One response picked in a `show_voters=nobody` question. `voter_key` is an HMAC of the",
            },
            bases=["Model"],
        ),
    ]
