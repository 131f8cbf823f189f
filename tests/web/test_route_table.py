"""The one table of paths: every route is declared from it, and links are built from it."""

from __future__ import annotations

import pytest
from starlette.routing import Mount, Route, WebSocketRoute

from crowdsource.web import urls
from crowdsource.web.routes import all_routes


def test_every_route_sits_at_its_path_in_the_table() -> None:
    declared = {}
    for route in all_routes():
        assert isinstance(route, Route | WebSocketRoute | Mount)
        declared[route.name] = route.path
    for name, path in declared.items():
        base = name if name in urls.PATHS else name.rsplit("_", 1)[0]
        provider = name.rsplit("_", 1)[1] if base != name else None
        expected = urls.path(base, provider=provider) if provider else urls.PATHS[base]
        assert path == expected, name


def test_the_sockets_routes_are_asked_first() -> None:
    """The router asks routes in order: a socket's join should not wait for every HTTP route
    to answer "no" first."""
    routes = all_routes()
    sockets = [n for n, route in enumerate(routes) if isinstance(route, WebSocketRoute)]
    assert sockets == list(range(len(sockets))) and len(sockets) == 2
    assert {routes[n].name for n in sockets} == {"poll_socket", "room_socket"}


def test_every_path_in_the_table_is_a_route() -> None:
    names = {route.name for route in all_routes()}
    for name in urls.PATHS:
        assert name in names or any(n.startswith(name + "_") for n in names), name


def test_links_fill_their_parameters() -> None:
    assert urls.path("poll", slug="abc") == "/polls/abc"
    assert urls.path("my_polls", query={"state": "open"}) == "/polls?state=open"
    assert urls.static("js/live.js") == "/static/js/live.js"
    assert urls.share_url("https://polls.example/", "abc") == "https://polls.example/polls/abc"
    assert urls.login_url("/polls/abc") == "/login?next=/polls/abc"
    assert urls.login_url("https://evil.example/") == "/login?next=/"


def test_a_missing_parameter_is_an_error_not_a_broken_link() -> None:
    with pytest.raises(ValueError, match="slug"):
        urls.path("poll")
    with pytest.raises(KeyError):
        urls.path("no_such_route")
