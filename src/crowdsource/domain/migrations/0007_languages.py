from tortoise import fields, migrations
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("models", "0006_roster")]

    initial = False

    operations = [
        ops.AddField(
            model_name="Poll",
            name="language",
            field=fields.CharField(default="", max_length=8),
        ),
        ops.AddField(
            model_name="Room",
            name="language",
            field=fields.CharField(default="", max_length=8),
        ),
    ]
