"""GET /, GET /healthz, generated avatars, static files, headers on every response."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from crowdsource.app import create_app
from tests.helpers.client import create_poll, make_settings, sign_in_guest


def test_home_for_a_visitor_invites_them_in(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert "Join as a guest" in page.text
    assert 'action="/polls"' not in page.text


def test_healthz_answers_ok(client: TestClient) -> None:
    response = client.get("/healthz")
    assert (response.status_code, response.text) == (200, "ok")


def test_guest_avatar_is_a_deterministic_svg_with_initials(client: TestClient) -> None:
    sign_in_guest(client, "Grace Hopper")
    login = client.get("/").text.split('src="/avatars/')[1].split(".svg")[0]
    first = client.get(f"/avatars/{login}.svg")
    assert first.status_code == 200
    assert first.headers["content-type"].startswith("image/svg+xml")
    assert ">GH</text>" in first.text
    assert first.text == client.get(f"/avatars/{login}.svg").text


def test_unknown_avatar_is_a_question_mark(client: TestClient) -> None:
    assert ">?</text>" in client.get("/avatars/nobody.svg").text


def test_static_files_are_served(client: TestClient) -> None:
    assert client.get("/static/app.css").status_code == 200
    assert client.get("/static/vendor/htmx.min.js").status_code == 200


@pytest.mark.parametrize("path", ["/", "/login", "/healthz", "/polls/nope", "/static/app.css"])
def test_security_headers_on_every_response(client: TestClient, path: str) -> None:
    headers = client.get(path).headers
    csp = headers["content-security-policy"]
    assert (
        "script-src 'self'" in csp
        and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    )
    assert "frame-ancestors 'none'" in csp
    assert headers["x-frame-options"] == "DENY"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] in {
        "same-origin",
        "strict-origin",
        "strict-origin-when-cross-origin",
        "no-referrer",
    }


def test_pages_have_no_inline_script(client: TestClient) -> None:
    sign_in_guest(client)
    slug = create_poll(client)
    for path in ("/", "/login", f"/polls/{slug}", "/polls"):
        html = client.get(path).text
        assert "<script>" not in html and " on" + "click=" not in html


def test_an_overlong_query_string_is_refused(client: TestClient) -> None:
    response = client.get("/login?next=/" + "a" * 3000)
    assert response.status_code == 414


def test_an_oversized_body_is_refused_before_any_route(client: TestClient) -> None:
    sign_in_guest(client)
    response = client.post(
        "/polls",
        content=b"question=" + b"x" * 70_000,
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 413


def test_a_streamed_body_that_grows_too_large_is_refused(client: TestClient) -> None:
    sign_in_guest(client)

    def chunks():  # streamed: no Content-Length to trust
        for _ in range(80):
            yield b"x" * 1024

    response = client.post(
        "/polls", content=chunks(), headers={"content-type": "application/x-www-form-urlencoded"}
    )
    assert response.status_code == 413


def test_a_crash_shows_an_incident_id_not_a_trace_and_keeps_the_headers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def explode(*args: object) -> str:
        raise RuntimeError("secret internals: SECRET_KEY=abc")

    monkeypatch.setattr("crowdsource.web.routes.pages.initials_svg", explode)
    app = create_app(make_settings(tmp_path))
    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/avatars/anyone.svg")
    assert response.status_code == 500
    incident = re.search(r"<code>([0-9a-f]{8})</code>", response.text)
    assert incident and "secret internals" not in response.text and "Traceback" not in response.text
    assert incident.group(1) in caplog.text and "secret internals" in caplog.text
    assert response.headers["x-frame-options"] == "DENY"
    assert "unsafe-inline" not in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"
