from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index


class Migration(migrations.Migration):
    dependencies = [("models", "0004_kinds")]

    initial = False

    operations = [
        ops.CreateModel(
            name="RoundBallot",
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
                        related_name="round_ballots",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("round", fields.IntField()),
                (
                    "choice",
                    fields.ForeignKeyField(
                        "models.Choice",
                        source_field="choice_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="round_ballots",
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
                        related_name="round_ballots",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("confidence", fields.CharField(null=True, max_length=8)),
                ("cast_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "round_ballots",
                "app": "models",
                "indexes": [Index(fields=["poll_id", "round"])],
                "pk_attr": "id",
                "table_description": "A ballot of a finished round (peer instruction): when round N+1 starts, each Vote row",
            },
            bases=["Model"],
        ),
        ops.AddField(
            model_name="Pick",
            name="confidence",
            field=fields.CharField(null=True, max_length=8),
        ),
        ops.AddField(
            model_name="Poll",
            name="ask_confidence",
            field=fields.BooleanField(default=False),
        ),
        ops.AddField(
            model_name="Poll",
            name="round",
            field=fields.IntField(default=1),
        ),
        ops.AddField(
            model_name="Vote",
            name="confidence",
            field=fields.CharField(null=True, max_length=8),
        ),
    ]
