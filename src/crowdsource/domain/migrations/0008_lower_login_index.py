"""An index on users' logins ignoring case. A room's roster finds its members by
`lower(login)` (participation.roster_users), which no index served: every account the
server ever had was read. A roster of 1,000 took 9.9 ms among 21,000 accounts and 27 ms
among 101,000; 5.3 and 6.8 ms with the index. SQLite and PostgreSQL both use an index on
an expression for a query that names the same expression."""

from tortoise import migrations
from tortoise.migrations import operations as ops

# Not "users_login_key": PostgreSQL gave that name to the index of the unique login.
INDEX = "users_lower_login"


class Migration(migrations.Migration):
    dependencies = [("models", "0007_languages")]

    initial = False

    operations = [
        ops.RunSQL(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON users (lower(login))",
            f"DROP INDEX IF EXISTS {INDEX}",
        )
    ]
