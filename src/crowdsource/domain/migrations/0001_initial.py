from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    initial = True

    operations = [
        ops.CreateModel(
            name="User",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("provider", fields.CharField(max_length=20)),
                ("provider_id", fields.CharField(max_length=100)),
                ("login", fields.CharField(unique=True, max_length=100)),
                ("name", fields.CharField(max_length=100)),
                ("avatar_url", fields.CharField(max_length=500)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "users",
                "app": "models",
                "unique_together": (("provider", "provider_id"),),
                "pk_attr": "id",
                "table_description": "Someone who signed in: with a provider (GitHub) or as a guest.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Poll",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("slug", fields.CharField(unique=True, max_length=32)),
                (
                    "owner",
                    fields.ForeignKeyField(
                        "models.User",
                        source_field="owner_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="polls",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("question", fields.CharField(max_length=300)),
                ("results_visibility", fields.CharField(default="always", max_length=16)),
                ("show_voters", fields.CharField(default="owner", max_length=16)),
                ("closes_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("closed_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={"table": "polls", "app": "models", "pk_attr": "id"},
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Choice",
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
                        related_name="choices",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("label", fields.CharField(max_length=120)),
                ("position", fields.SmallIntField()),
            ],
            options={"table": "choices", "app": "models", "pk_attr": "id"},
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Vote",
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
                        related_name="votes",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "choice",
                    fields.ForeignKeyField(
                        "models.Choice",
                        source_field="choice_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="votes",
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
                        related_name="votes",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("cast_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "votes",
                "app": "models",
                "unique_together": (("poll", "voter"),),
                "pk_attr": "id",
                "table_description": "The current answer of one person to one poll. A change of mind updates the row.",
            },
            bases=["Model"],
        ),
    ]
