from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields


class Migration(migrations.Migration):
    dependencies = [("models", "0003_rooms")]

    initial = False

    operations = [
        ops.CreateModel(
            name="Answer",
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
                        related_name="answers",
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
                        related_name="answers",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("text", fields.CharField(max_length=280)),
                ("hidden", fields.BooleanField(default=False)),
                ("cast_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "answers",
                "app": "models",
                "unique_together": (("poll", "voter"),),
                "pk_attr": "id",
                "table_description": "One person's open answer to a `text` poll (a new one replaces it).",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Pick",
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
                        related_name="picks",
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
                        related_name="picks",
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
                        related_name="picks",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("cast_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "picks",
                "app": "models",
                "unique_together": (("poll", "voter", "choice"),),
                "pk_attr": "id",
                "table_description": "One response a person picked in a `multiple` poll: their set of rows is their vote.",
            },
            bases=["Model"],
        ),
        ops.AddField(
            model_name="Choice",
            name="correct",
            field=fields.BooleanField(default=False),
        ),
        ops.AddField(
            model_name="Poll",
            name="banned_words",
            field=fields.CharField(default="", max_length=500),
        ),
        ops.AddField(
            model_name="Poll",
            name="kind",
            field=fields.CharField(default="single", max_length=10),
        ),
        ops.AddField(
            model_name="Poll",
            name="max_picks",
            field=fields.SmallIntField(null=True),
        ),
        ops.AddField(
            model_name="Poll",
            name="min_picks",
            field=fields.SmallIntField(null=True),
        ),
        ops.AddField(
            model_name="Poll",
            name="revealed_at",
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name="Poll",
            name="scale_max_label",
            field=fields.CharField(default="", max_length=40),
        ),
        ops.AddField(
            model_name="Poll",
            name="scale_min_label",
            field=fields.CharField(default="", max_length=40),
        ),
    ]
