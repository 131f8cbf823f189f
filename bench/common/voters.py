"""Voters minted straight into the database, with signed cookies: 1,000 HTTP sign-ins would
measure sign-in, not what the benchmarks are after."""

from __future__ import annotations

from pathlib import Path

from tortoise.context import TortoiseContext
from tortoise.transactions import in_transaction

from crowdsource.auth.tokens import COOKIE_NAME, issue_token
from crowdsource.domain import accounts, db
from crowdsource.domain.models import User
from crowdsource.web import urls


async def mint_voters(data_dir: Path, secret: str, public_url: str, count: int) -> list[str]:
    """Create `count` guests with the app's own accounts module in DATA_DIR's SQLite file
    (before the server starts) and return a signed `crowdsource_token` cookie for each, issued
    by the server whose PUBLIC_URL is `public_url`."""
    url = f"sqlite://{data_dir / 'crowdsource.sqlite3'}"
    await db.migrate(url)
    async with TortoiseContext() as context:
        await context.init(config=db.tortoise_config(url))
        async with in_transaction():
            users = [
                await accounts.sign_in_guest(f"Student {n + 1}", urls.initials_avatar)
                for n in range(count)
            ]
    return [f"{COOKIE_NAME}={issue_token(user, secret, public_url)}" for user in users]


def unsaved_students(count: int, tag: str) -> list[User]:
    """`count` guests not stored yet (for one `bulk_create`), provider ids `<tag><n>`."""
    return [
        User(
            provider="guest",
            provider_id=f"{tag}{n}",
            login=f"guest~{tag}{n:05d}",
            name=f"Student {n}",
            avatar_url=f"/avatars/guest~{tag}{n:05d}.svg",
        )
        for n in range(count)
    ]
