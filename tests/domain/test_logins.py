"""Login allocation: a login is one person's at a time. A newcomer whose wanted login is held
gets a numbered variant, the holder keeps theirs, and a vote keeps its voter's name."""

from __future__ import annotations

import asyncio

import pytest
from tortoise.exceptions import IntegrityError

from crowdsource.auth.oidc import profile_from_claims
from crowdsource.domain import accounts
from crowdsource.domain.accounts import ProviderProfile, sign_in_with_profile
from crowdsource.domain.logins import is_variant_of, variant
from crowdsource.domain.models import LOGIN_MAX, User
from crowdsource.domain.tally_reads import tally_of
from crowdsource.web.urls import initials_avatar
from tests.helpers.factories import choice_ids, make_poll, store_vote

SCHOOL = "https://id.school.test"
OTHER_SCHOOL = "https://login.other-school.test"


def github(user_id: int, login: str) -> ProviderProfile:
    return ProviderProfile("github", str(user_id), login, login.title(), "")


def oidc(issuer: str, claims: dict[str, object]) -> ProviderProfile:
    return profile_from_claims(claims, "school", "School", issuer)


async def sign_in(profile: ProviderProfile) -> User:
    return await sign_in_with_profile(profile, initials_avatar)


def test_variants_sit_before_the_domain_and_fit_the_column() -> None:
    assert variant("ada@school", 2) == "ada+2@school"
    assert variant("octo", 12) == "octo+12"
    assert len(variant("a" * LOGIN_MAX, 3)) == LOGIN_MAX
    assert is_variant_of("ada+2@school", "ada@school")
    assert is_variant_of("octo+12", "octo")
    assert not is_variant_of("ada@school", "ada@school")
    assert not is_variant_of("ada+2@other", "ada@school")
    assert not is_variant_of("ada-2@school", "ada@school")


@pytest.mark.usefixtures("orm")
async def test_one_subject_at_two_issuers_is_two_people_with_two_logins() -> None:
    first = await sign_in(oidc(SCHOOL, {"sub": "42", "preferred_username": "ada"}))
    second = await sign_in(oidc(OTHER_SCHOOL, {"sub": "42", "preferred_username": "ada"}))
    assert first.id != second.id
    assert (first.login, second.login) == ("ada@school", "ada+2@school")


@pytest.mark.usefixtures("orm")
async def test_the_holder_keeps_the_login_and_the_newcomer_keeps_a_variant() -> None:
    """`ada-` and `ada` both clean to `ada`: the second never takes the first's login, and
    signing in again changes nothing for either."""
    ada = await sign_in(oidc(SCHOOL, {"sub": "1", "preferred_username": "ada"}))
    newcomer = await sign_in(oidc(SCHOOL, {"sub": "2", "preferred_username": "ada-"}))
    poll = await make_poll()
    okay, no_idea = (await choice_ids(poll))[1:]
    await store_vote(poll, ada, okay)
    await store_vote(poll, newcomer, no_idea)
    for _ in range(2):
        await sign_in(oidc(SCHOOL, {"sub": "2", "preferred_username": "ada-"}))
        await sign_in(oidc(SCHOOL, {"sub": "1", "preferred_username": "ada"}))
    tally = await tally_of(poll)
    voters = {voter.user_id: voter.login for choice in tally.choices for voter in choice.voters}
    assert voters == {ada.id: "ada@school", newcomer.id: "ada+2@school"}


@pytest.mark.usefixtures("orm")
async def test_an_unverified_email_lends_no_login() -> None:
    """Two people with `ada@` addresses at different domains, neither verified."""
    first = await sign_in(oidc(SCHOOL, {"sub": "1", "email": "ada@mail.test"}))
    second = await sign_in(
        oidc(SCHOOL, {"sub": "2", "email": "ada@evil.test", "email_verified": False})
    )
    assert first.login.startswith("user-") and second.login.startswith("user-")
    assert first.login != second.login
    verified = await sign_in(
        oidc(SCHOOL, {"sub": "3", "email": "ada@mail.test", "email_verified": "true"})
    )
    assert verified.login == "ada@school"


@pytest.mark.usefixtures("orm")
async def test_a_verified_email_at_another_domain_gets_a_variant() -> None:
    first = await sign_in(oidc(SCHOOL, {"sub": "1", "email": "ada@a.test", "email_verified": True}))
    second = await sign_in(
        oidc(SCHOOL, {"sub": "2", "email": "ada@b.test", "email_verified": True})
    )
    assert (first.login, second.login) == ("ada@school", "ada+2@school")
    assert (await User.get(id=first.id)).login == "ada@school"


@pytest.mark.usefixtures("orm")
async def test_a_github_login_never_passes_to_whoever_takes_it_after_a_rename() -> None:
    """`octo` (id 1) renames to `octo-new` on GitHub; id 2 takes `octo` and signs in first."""
    octo = await sign_in(github(1, "octo"))
    taker = await sign_in(github(2, "octo"))
    assert (await User.get(id=octo.id)).login == "octo"
    assert taker.login == "octo+2"
    # The renamed person comes back under their new name: `octo` is nobody's now...
    assert (await sign_in(github(1, "octo-new"))).login == "octo-new"
    # ...so GitHub's `octo` gets it, exactly as GitHub gives it.
    assert (await sign_in(github(2, "octo"))).login == "octo"
    assert (await User.get(id=octo.id)).login == "octo-new"


@pytest.mark.usefixtures("orm")
async def test_a_rename_is_followed_when_the_new_login_is_free() -> None:
    user = await sign_in(github(7, "grace"))
    again = await sign_in(github(7, "grace-hopper"))
    assert (again.id, again.login) == (user.id, "grace-hopper")


@pytest.mark.usefixtures("orm")
async def test_rows_stored_before_issuer_keys_are_claimed_once() -> None:
    """A user stored under the bare `sub` keeps their row (and polls, and votes)."""
    legacy = await User.create(
        provider="oidc", provider_id="u-1", login="ada@school", name="Ada", avatar_url=""
    )
    back = await sign_in(oidc(SCHOOL, {"sub": "u-1", "preferred_username": "ada"}))
    assert (back.id, back.login) == (legacy.id, "ada@school")
    assert back.provider_id.startswith("iss+sub:")
    stranger = await sign_in(oidc(OTHER_SCHOOL, {"sub": "u-1", "preferred_username": "ada"}))
    assert stranger.id != legacy.id and stranger.login == "ada+2@school"


@pytest.mark.usefixtures("orm")
async def test_a_subject_shaped_like_a_key_claims_nobody() -> None:
    ada = await sign_in(oidc(SCHOOL, {"sub": "1", "preferred_username": "ada"}))
    forged = await sign_in(oidc(OTHER_SCHOOL, {"sub": ada.provider_id}))
    assert forged.id != ada.id


@pytest.mark.usefixtures("orm")
async def test_two_newcomers_at_once_get_two_logins() -> None:
    first, second = await asyncio.gather(
        sign_in(oidc(SCHOOL, {"sub": "a", "preferred_username": "ada"})),
        sign_in(oidc(SCHOOL, {"sub": "b", "preferred_username": "ada"})),
    )
    assert {first.login, second.login} == {"ada@school", "ada+2@school"}


@pytest.mark.usefixtures("orm")
async def test_a_guest_login_drawn_twice_is_drawn_again(monkeypatch: pytest.MonkeyPatch) -> None:
    draws = iter(["0badcafe", "0badcafe", "0badcafe", "5eed5eed"])
    monkeypatch.setattr(accounts.secrets, "token_hex", lambda _size: next(draws))
    first = await accounts.sign_in_guest("Ada", initials_avatar)
    second = await accounts.sign_in_guest("Ada", initials_avatar)  # two draws taken
    assert first.login == "guest~0badcafe" and second.login == "guest~5eed5eed"
    assert await User.filter(provider="guest").count() == 2


@pytest.mark.usefixtures("orm")
async def test_a_guest_login_taken_at_every_draw_fails_the_sign_in(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(accounts.secrets, "token_hex", lambda _size: "0badcafe")
    await accounts.sign_in_guest("Ada", initials_avatar)
    with pytest.raises(IntegrityError):
        await accounts.sign_in_guest("Bob", initials_avatar)
    assert await User.filter(provider="guest").count() == 1
