"""Which scripts each page loads: one file per feature under static/js/, and a page loads only
the features it has. Every page works without them; these tests keep the tags honest."""

from __future__ import annotations

import re

import pytest
from starlette.testclient import TestClient

from crowdsource.web.templating import STATIC_DIR
from tests.helpers.client import create_poll
from tests.helpers.rooms import create_room

# jQuery, the words of the scripts in the page's language, the avatar fallback.
BASE = ["/static/vendor/jquery.min.js", "/static/js/page_text.js", "/static/js/avatars.js"]
LIVE = [
    *BASE,
    "/static/vendor/htmx.min.js",
    "/static/vendor/htmx-ext-ws.min.js",
    "/static/js/live.js",
    "/static/js/avatar_motion.js",
    "/static/js/countdown.js",
]
OWNER_TOOLS = ["/static/js/share.js", "/static/js/timezone.js", "/static/js/roster.js"]
VOTE_FORM = ["/static/js/vote_form.js"]
GUEST_NAME = "/static/js/guest_name.js"
CREATE_FORM = [
    "/static/js/poll_form.js",
    "/static/js/timezone.js",
    "/static/js/projector_fit.js",
    "/static/js/projector_preview.js",
]
HOST_TOOLS = [
    "/static/js/share.js",
    "/static/js/poll_form.js",
    "/static/js/timezone.js",
    "/static/js/host.js",
    "/static/js/roster.js",
]


def scripts(html: str) -> list[str]:
    """The `src` of every script tag, in order; a tag without one would be inline script.
    The one data block, `#page-text` (JSON the scripts read), is no script: browsers never
    run `type="application/json"`, and the CSP does not apply to it."""
    data = '<script type="application/json" id="page-text">'
    assert html.count(data) == (1 if "<html" in html else 0)
    tags = [tag for tag in re.findall(r"<script\b[^>]*>", html) if tag != data]
    sources = [re.search(r'\bsrc="([^"]+)"', tag) for tag in tags]
    assert all(sources), f"inline script (the CSP forbids it): {tags}"
    return [source.group(1) for source in sources if source]


def test_the_create_form_loads_its_own_scripts_and_nothing_live(owner: TestClient) -> None:
    assert scripts(owner.get("/").text) == BASE + CREATE_FORM


def test_pages_without_features_load_only_the_base(stranger: TestClient) -> None:
    for path in ("/polls/nope", "/join", "/join?code=ZZZZZZ"):
        assert scripts(stranger.get(path).text) == BASE


@pytest.mark.parametrize("path", ["/", "/login"])
def test_pages_with_a_guest_form_remember_the_name(stranger: TestClient, path: str) -> None:
    assert scripts(stranger.get(path).text) == [*BASE, GUEST_NAME]


def test_the_poll_page_is_live_and_only_its_owner_gets_the_owner_tools(
    owner: TestClient, student: TestClient, stranger: TestClient
) -> None:
    slug = create_poll(owner)
    assert scripts(owner.get(f"/polls/{slug}").text) == LIVE + VOTE_FORM + OWNER_TOOLS
    assert scripts(student.get(f"/polls/{slug}").text) == LIVE + VOTE_FORM
    assert scripts(stranger.get(f"/polls/{slug}").text) == [*LIVE, *VOTE_FORM, GUEST_NAME]


def test_the_projector_and_the_embed_each_add_their_own(owner: TestClient) -> None:
    slug = create_poll(owner)
    assert scripts(owner.get(f"/polls/{slug}/present").text) == [
        *LIVE,
        "/static/js/projector_fit.js",
        "/static/js/projector.js",
    ]
    assert scripts(owner.get(f"/polls/{slug}/embed").text) == [*LIVE, "/static/js/embed_height.js"]


def test_the_room_pages_are_live_and_the_console_adds_the_hosts_tools(
    owner: TestClient, student: TestClient
) -> None:
    code = create_room(owner)
    assert scripts(owner.get("/rooms").text) == BASE
    assert scripts(student.get(f"/r/{code}").text) == [*LIVE, *VOTE_FORM]
    assert scripts(owner.get(f"/r/{code}").text) == [*LIVE, *VOTE_FORM]
    projector = [*LIVE, "/static/js/projector_fit.js", "/static/js/projector.js"]
    assert scripts(student.get(f"/r/{code}/present").text) == projector
    assert scripts(owner.get(f"/r/{code}/host").text) == [*LIVE, *HOST_TOOLS]


def test_every_script_a_page_names_is_served_and_every_file_is_used(
    owner: TestClient,
) -> None:
    slug, code = create_poll(owner), create_room(owner)
    pages = ("/", f"/polls/{slug}", f"/polls/{slug}/present", f"/polls/{slug}/embed")
    named = {src for path in (*pages, f"/r/{code}/host") for src in scripts(owner.get(path).text)}
    named |= {GUEST_NAME}  # on the pages of people signed out (above)
    for src in named:
        response = owner.get(src)
        assert response.status_code == 200, src
        assert "javascript" in response.headers["content-type"], src
    on_disk = {
        f"/static/{file.relative_to(STATIC_DIR).as_posix()}" for file in STATIC_DIR.rglob("*.js")
    }
    assert on_disk == named, "a script no page loads, or a page naming a missing one"
