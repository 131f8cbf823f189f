"""Voters minted straight into the database, with signed cookies: 1,000 HTTP sign-ins would
measure sign-in, not what the benchmarks are after."""

from __future__ import annotations

from tortoise.context import TortoiseContext
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from crowdsource.auth.tokens import COOKIE_NAME, issue_token
from crowdsource.domain import accounts, db
from crowdsource.domain.models import Room, User
from crowdsource.domain.roster_models import RoomRoster, RosterMember
from crowdsource.web import urls


async def mint_voters(
    url: str, secret: str, public_url: str, count: int, *, github: bool = False
) -> list[str]:
    """Create `count` guests with the app's own accounts module in the database at `url`
    (before the server starts: `servers.sqlite_url(DATA_DIR)`, or PostgreSQL's) and return a
    signed `crowdsource_token` cookie for each, issued by the server whose PUBLIC_URL is
    `public_url`. `github`: GitHub users instead, the n-th (from 0) signed in as
    `student_login(n)`, as a room's roster can list them."""
    await db.migrate(url)
    async with TortoiseContext() as context:
        await context.init(config=db.tortoise_config(url))
        async with in_transaction():
            users = [await _student(n, github) for n in range(count)]
    return [f"{COOKIE_NAME}={issue_token(user, secret, public_url)}" for user in users]


def student_login(n: int) -> str:
    """The login of the n-th GitHub student `mint_voters` signs in."""
    return f"student-{n + 1}"


async def _student(n: int, github: bool) -> User:
    name = f"Student {n + 1}"
    if not github:
        return await accounts.sign_in_guest(name, urls.initials_avatar)
    profile = accounts.ProviderProfile("github", f"bench-{n + 1}", student_login(n), name, "")
    return await accounts.sign_in_with_profile(profile, urls.initials_avatar)


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


async def listed_on_roster(room: Room, students: QuerySet[User]) -> None:
    """Make `students` GitHub users (a guest is never on a roster) and give `room` a roster
    listing each of them."""
    await students.update(provider="github")
    await RoomRoster.create(room=room)
    await RosterMember.bulk_create(
        [RosterMember(room=room, login=u.login, login_key=u.login.lower())
         for u in await students],
        batch_size=1000,
    )  # fmt: skip
