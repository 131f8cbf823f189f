"""The session cookie (OAuth state, the CSRF seed) is `__Host-` prefixed under https, so
neither a sibling subdomain nor a plain-http response can plant one."""

from __future__ import annotations

from collections.abc import Callable

from starlette.testclient import TestClient

from crowdsource.auth.tokens import COOKIE_NAME
from tests.helpers.client import sign_in_guest


def session_header(client: TestClient) -> str:
    response = client.get("/login")
    return next(
        header
        for header in response.headers.get_list("set-cookie")
        if "crowdsource_session=" in header
    )


def test_under_https_the_session_cookie_is_host_prefixed_and_secure(
    app_client_factory: Callable[..., TestClient],
) -> None:
    client = app_client_factory(public_url="https://polls.school.test")
    header = session_header(client)
    attributes = [part.strip().lower() for part in header.split(";")]
    assert header.startswith("__Host-crowdsource_session=")
    assert "secure" in attributes and "path=/" in attributes
    assert not any(part.startswith("domain=") for part in attributes)


def test_over_plain_http_the_session_cookie_keeps_its_plain_name(client: TestClient) -> None:
    assert session_header(client).startswith("crowdsource_session=")
    sign_in_guest(client)
    assert COOKIE_NAME in client.cookies  # the token cookie's name is the contract's, always
