"""Every link comes from a route name (web/urls.py), never typed by hand in a template."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from crowdsource.web import urls

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
# An attribute (or a `{% with %}` variable) whose value starts with a path on this site;
# `//host` and `https://…` are other sites.
LOCAL_PATH = re.compile(r'[\w-]+="/(?!/)')
EXPLAINED = re.compile(r"\{#.*by hand.*#\}")


def hand_written_urls(source: str) -> list[str]:
    """Lines that write a local URL by hand, unless a `{# … by hand … #}` comment on that
    line or the one before says why."""
    lines = source.splitlines()
    found = []
    for number, line in enumerate(lines):
        explained = EXPLAINED.search(line) or (number and EXPLAINED.search(lines[number - 1]))
        if LOCAL_PATH.search(line) and not explained:
            found.append(f"{number + 1}: {line.strip()}")
    return found


def test_no_template_writes_a_local_url_by_hand() -> None:
    offenders = {
        path.relative_to(TEMPLATES).as_posix(): lines
        for path in sorted(TEMPLATES.rglob("*"))
        if path.is_file() and (lines := hand_written_urls(path.read_text()))
    }
    assert offenders == {}, "use url(…) or static(…) instead"


@pytest.mark.parametrize(
    ("source", "found"),
    [
        ('<a href="/polls/{{ slug }}">', ['1: <a href="/polls/{{ slug }}">']),
        ('<form action="/logout">', ['1: <form action="/logout">']),
        ('<p>\n  <div ws-connect="/polls/x/ws">', ['2: <div ws-connect="/polls/x/ws">']),
        ('{% with next="/" %}', ['1: {% with next="/" %}']),
        ('<a href="{{ url("home") }}">', []),
        ('<a href="https://example.org/">', []),
        ('<img src="//cdn.example.org/x.png">', []),
        ('{# by hand: the page must work with no router #}\n<a href="/">', []),
        ('{# a comment about something else #}\n<a href="/">', ['2: <a href="/">']),
    ],
)
def test_hand_written_urls_are_found(source: str, found: list[str]) -> None:
    assert hand_written_urls(source) == found


def test_links_come_from_route_names() -> None:
    assert urls.path("poll", slug="abc") == "/polls/abc"
    assert urls.path("poll_socket", slug="abc", query={"view": "room"}) == "/polls/abc/ws?view=room"
    assert (
        urls.share_url("https://polls.example.org/", "abc") == "https://polls.example.org/polls/abc"
    )
    assert (
        urls.with_next("login_provider", "/polls/a b", provider="github")
        == "/login/github?next=/polls/a%20b"
    )
    assert urls.login_url("//evil.example") == "/login?next=/"


@pytest.mark.parametrize(
    ("path", "embed"),
    [
        ("/polls/abc/embed", True),
        ("/polls/abc", False),
        ("/polls/abc/present", False),
        ("/embed", False),
    ],
)
def test_a_path_is_matched_to_its_route(path: str, embed: bool) -> None:
    assert urls.is_path_of("embed", path) is embed
