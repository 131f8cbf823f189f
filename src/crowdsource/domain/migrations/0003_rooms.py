from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields


class Migration(migrations.Migration):
    dependencies = [("models", "0002_token_version")]

    initial = False

    operations = [
        ops.CreateModel(
            name="Room",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("code", fields.CharField(unique=True, max_length=6)),
                (
                    "owner",
                    fields.ForeignKeyField(
                        "models.User",
                        source_field="owner_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="rooms",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("name", fields.CharField(max_length=80)),
                (
                    "current",
                    fields.ForeignKeyField(
                        "models.Poll",
                        source_field="current_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                (
                    "archived_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
            ],
            options={
                "table": "rooms",
                "app": "models",
                "pk_attr": "id",
                "table_description": "An instructor's standing place for a course.",
            },
            bases=["Model"],
        ),
        ops.AddField(
            model_name="Poll",
            name="draft",
            field=fields.BooleanField(default=False),
        ),
        ops.AddField(
            model_name="Poll",
            name="duration_seconds",
            field=fields.IntField(null=True),
        ),
        ops.AddField(
            model_name="Poll",
            name="position",
            field=fields.IntField(default=0),
        ),
        ops.AddField(
            model_name="Poll",
            name="room",
            field=fields.ForeignKeyField(
                "models.Room",
                source_field="room_id",
                null=True,
                db_constraint=True,
                to_field="id",
                related_name="questions",
                on_delete=OnDelete.CASCADE,
            ),
        ),
    ]
