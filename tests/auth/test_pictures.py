"""A provider's picture is kept only when it is served from an allowed avatar origin."""

from __future__ import annotations

import pytest

from crowdsource.auth.pictures import allowed_picture, picture_allowed
from crowdsource.domain.accounts import ProviderProfile

ORIGINS = (
    "https://avatars.githubusercontent.com",
    "https://*.googleusercontent.com",
    "http://127.0.0.1:9000",
    "https://[::1]:8443",
)


@pytest.mark.parametrize(
    "url",
    [
        "https://avatars.githubusercontent.com/u/1?v=4&s=80",
        "https://AVATARS.githubusercontent.com/u/1",
        "https://avatars.githubusercontent.com:443/u/1",
        "https://lh3.googleusercontent.com/a/xyz=s96-c",
        "https://a.b.googleusercontent.com/x",
        "http://127.0.0.1:9000/avatars/ada.svg",
        "https://[::1]:8443/ada.png",
    ],
)
def test_pictures_from_allowed_origins_are_kept(url: str) -> None:
    assert picture_allowed(url, ORIGINS)


@pytest.mark.parametrize(
    "url",
    [
        "https://tracker.example/ada.png",
        "http://avatars.githubusercontent.com/u/1",  # another scheme
        "https://avatars.githubusercontent.com:8443/u/1",  # another port
        "https://googleusercontent.com/x",  # `*.` is a subdomain, not the domain itself
        "https://evilgoogleusercontent.com/x",
        "https://avatars.githubusercontent.com.evil.example/u/1",
        "https://evil.example\\@avatars.githubusercontent.com/u/1",
        "https://user@avatars.githubusercontent.com/u/1",
        "https://avatars.githubusercontent.com\\.evil.example/u/1",
        "https://avatars.githubusercontent.com:99999/u/1",
        "http://127.0.0.1/avatars/ada.svg",
        "javascript:alert(1)",
        "//avatars.githubusercontent.com/u/1",
        "/avatars/ada.svg",
        "",
    ],
)
def test_pictures_from_anywhere_else_are_not(url: str) -> None:
    assert not picture_allowed(url, ORIGINS)


def test_a_picture_from_elsewhere_is_dropped_so_the_initials_avatar_stands_in() -> None:
    profile = ProviderProfile("oidc", "u-1", "ada@school", "Ada", "https://tracker.example/a")
    assert allowed_picture(profile, ORIGINS).avatar_url == ""
    kept = ProviderProfile(
        "oidc", "u-1", "ada@school", "Ada", "https://lh3.googleusercontent.com/a"
    )
    assert allowed_picture(kept, ORIGINS) == kept
