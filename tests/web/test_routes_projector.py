"""GET /polls/{slug}/present, /embed and /qr.svg: the room's view of the results."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
import segno
from starlette.testclient import TestClient

from crowdsource.web.qr import QUIET_ZONE
from tests.helpers.client import create_poll, csrf_of, sign_in_guest, vote
from tests.helpers.sockets import receive_until


@pytest.fixture
def owner(client_factory: Callable[..., TestClient]) -> TestClient:
    client = client_factory()
    sign_in_guest(client, "Alex Owner")
    return client


def first_choice(client: TestClient, slug: str) -> str:
    return client.get(f"/polls/{slug}/results.json").json()["choices"][0]["id"]


def svg_modules(svg: str) -> set[tuple[int, int]]:
    """Dark modules drawn by segno's SVG path (`M x y`, `h n`, relative `m dx dy`)."""
    path = re.search(r'class="qrline"[^>]* d="([^"]+)"', svg)
    assert path, svg[:200]
    dark: set[tuple[int, int]] = set()
    x = y = 0.0
    for command, a, b in re.findall(r"([Mmh])(-?[\d.]+)(?:\s(-?[\d.]+))?", path.group(1)):
        if command == "M":
            x, y = float(a), float(b)
        elif command == "m":
            x, y = x + float(a), y + float(b)
        else:
            dark.update((int(x) + step, int(y)) for step in range(int(float(a))))
            x += float(a)
    return dark


def test_the_qr_code_encodes_the_share_link(owner: TestClient) -> None:
    slug = create_poll(owner)
    response = owner.get(f"/polls/{slug}/qr.svg")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("image/svg+xml")
    expected = segno.make(f"http://testserver/polls/{slug}", error="m")
    want = {
        (x + QUIET_ZONE, y + QUIET_ZONE)
        for y, row in enumerate(expected.matrix)
        for x, dark in enumerate(row)
        if dark
    }
    assert svg_modules(response.text) == want
    other = segno.make(f"http://testserver/polls/{slug}x", error="m")
    assert svg_modules(response.text) != {
        (x + QUIET_ZONE, y + QUIET_ZONE)
        for y, row in enumerate(other.matrix)
        for x, d in enumerate(row)
        if d
    }


def test_qr_of_an_unknown_poll_is_404(owner: TestClient) -> None:
    assert owner.get("/polls/nope/qr.svg").status_code == 404


def test_present_shows_question_link_qr_and_live_results(owner: TestClient) -> None:
    slug = create_poll(owner, question="Ready for recursion?")
    html = owner.get(f"/polls/{slug}/present").text
    assert "Ready for recursion?" in html
    assert f'src="/polls/{slug}/qr.svg"' in html
    assert f"testserver/polls/{slug}" in html
    assert f'ws-connect="/polls/{slug}/ws?view=room"' in html
    assert 'id="results"' in html and 'data-total-votes="0"' in html
    assert 'id="vote-form"' not in html and "Close voting now" not in html
    assert "site-header" not in html


def test_the_projector_link_may_wrap_after_the_host_but_never_inside_the_slug(
    owner: TestClient,
) -> None:
    """People type it from the wall: a line break in the middle of the slug misleads them."""
    slug = create_poll(owner)
    html = owner.get(f"/polls/{slug}/present").text
    assert f'<p class="present-link">testserver<wbr>/polls/{slug}</p>' in html


def test_present_never_shows_voters_the_room_may_not_see(
    owner: TestClient, client_factory: Callable[..., TestClient]
) -> None:
    slug = create_poll(owner)  # show_voters=owner
    student = client_factory()
    sign_in_guest(student, "Sam")
    vote(student, slug, first_choice(owner, slug))
    assert 'class="voter"' in owner.get(f"/polls/{slug}").text
    assert 'class="voter"' not in owner.get(f"/polls/{slug}/present").text
    assert 'class="voter"' not in owner.get(f"/polls/{slug}/embed").text


def test_present_shows_voters_when_everyone_may_see_them(
    owner: TestClient, client_factory: Callable[..., TestClient]
) -> None:
    slug = create_poll(owner, show_voters="everyone")
    student = client_factory()
    sign_in_guest(student, "Sam")
    vote(student, slug, first_choice(owner, slug))
    assert 'alt="Sam (guest)"' in owner.get(f"/polls/{slug}/present").text


def test_hidden_results_stay_hidden_on_the_projector(owner: TestClient) -> None:
    slug = create_poll(owner, results_visibility="after_close")
    html = owner.get(f"/polls/{slug}/present").text
    assert "data-total-votes" not in html and "Results appear when voting closes." in html
    assert "once you have voted" not in html  # a projector cannot vote


@pytest.mark.parametrize("rule", ["after_vote", "after_close"])
def test_the_projector_counts_who_voted_while_results_are_hidden_live(
    owner: TestClient, client_factory: Callable[..., TestClient], rule: str
) -> None:
    """How many have voted, never what: no response's count, no total attribute."""
    slug = create_poll(owner, results_visibility=rule)
    assert (
        'data-voted="0"><strong>0</strong> have voted' in owner.get(f"/polls/{slug}/present").text
    )
    student = client_factory()
    sign_in_guest(student, "Sam")
    with owner.websocket_connect(f"/polls/{slug}/ws?view=room") as room:
        receive_until(room, 'id="results"')
        vote(student, slug, first_choice(owner, slug))
        update = receive_until(room, 'id="voted-count"')
    assert "<strong>1</strong> has voted" in update
    assert "data-votes" not in update and "data-total-votes" not in update
    page = student.get(f"/polls/{slug}").text  # the page surface keeps its own wording
    assert 'id="voted-count"' not in client_factory().get(f"/polls/{slug}").text
    assert rule == "after_close" or "data-total-votes" in page


def test_the_owner_s_results_say_what_only_the_owner_sees(owner: TestClient) -> None:
    hidden = create_poll(owner, results_visibility="after_close", show_voters="everyone")
    note = re.search(
        r'<p id="room-view-note"[^>]*>.*?</p>', owner.get(f"/polls/{hidden}").text, re.S
    )
    assert note and "Only you see this" in note.group(0) and " hidden" not in note.group(0)
    names = create_poll(owner)  # the default: only the owner sees who voted what
    assert "Only you see who voted what" in owner.get(f"/polls/{names}").text
    shared = create_poll(owner, show_voters="everyone")
    note = re.search(r'<p id="room-view-note"[^>]*>', owner.get(f"/polls/{shared}").text)
    assert note and " hidden" in note.group(0)  # the room sees what the owner sees


def test_the_owner_s_note_follows_a_reveal_live(owner: TestClient) -> None:
    slug = create_poll(owner, results_visibility="after_close", show_voters="everyone")
    token = csrf_of(owner.get(f"/polls/{slug}").text)
    with owner.websocket_connect(f"/polls/{slug}/ws") as ws:
        receive_until(ws, 'id="results"')
        owner.post(
            f"/polls/{slug}/visibility", data={"csrf_token": token, "results_visibility": "always"}
        )
        pushed = receive_until(ws, 'id="room-view-note"')
    note = re.search(r'<p id="room-view-note"[^>]*>', pushed)
    assert note and " hidden" in note.group(0) and 'hx-swap-oob="true"' in note.group(0)


def test_only_the_owner_s_projector_has_the_owner_keys(
    owner: TestClient, client_factory: Callable[..., TestClient]
) -> None:
    slug = create_poll(owner, results_visibility="after_close")
    html = owner.get(f"/polls/{slug}/present").text
    for key, action in (("c", "close"), ("+", "extend"), ("r", "visibility")):
        assert re.search(
            rf'action="/polls/{slug}/{action}" data-owner-key="{re.escape(key)}">'
            r'<input type="hidden" name="csrf_token" value="[^"]+">',
            html,
        )
    assert "<kbd>c</kbd> close" in html and "<kbd>r</kbd> reveal" in html
    visitor = client_factory()
    sign_in_guest(visitor, "Sam")
    other = visitor.get(f"/polls/{slug}/present").text
    assert "data-owner-key" not in other and "<kbd>c</kbd>" not in other


def test_the_embed_code_comes_light_by_default_with_dark_and_transparent_to_pick(
    owner: TestClient,
) -> None:
    slug = create_poll(owner)
    html = owner.get(f"/polls/{slug}").text
    code = re.search(r'<textarea id="embed-code"[^>]*>([^<]*)</textarea>', html)
    assert code and f"/polls/{slug}/embed?theme=light&#34;" in code.group(1)
    looks = re.findall(r'name="embed_theme" value="([^"]*)" data-snippet="([^"]*)"', html)
    assert [value for value, _ in looks] == ["light", "dark", ""]
    assert f"/polls/{slug}/embed?theme=dark&#34;" in looks[1][1]
    assert f"/polls/{slug}/embed&#34;" in looks[2][1]


def test_a_page_opened_from_a_file_may_frame_the_embed(owner: TestClient) -> None:
    """`frame-ancestors *` matches network schemes only: a course page saved as a file
    could not show the widget."""
    slug = create_poll(owner)
    policy = owner.get(f"/polls/{slug}/embed").headers["content-security-policy"]
    assert "frame-ancestors * file:" in policy


def test_embed_is_the_only_frameable_page(owner: TestClient) -> None:
    slug = create_poll(owner)
    embed = owner.get(f"/polls/{slug}/embed")
    assert embed.status_code == 200
    assert "x-frame-options" not in embed.headers
    assert "frame-ancestors *" in embed.headers["content-security-policy"]
    for path in ("/", f"/polls/{slug}", f"/polls/{slug}/present", "/login"):
        response = owner.get(path)
        assert response.headers["x-frame-options"] == "DENY", path
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"], path


@pytest.mark.parametrize("path", ["/polls/nope/embed", "/polls/nope/embed?theme=dark"])
def test_an_embed_path_without_a_poll_is_not_frameable(owner: TestClient, path: str) -> None:
    response = owner.get(path)
    assert response.status_code == 404
    assert response.headers["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]


def test_a_deleted_polls_embed_is_not_frameable(owner: TestClient) -> None:
    slug = create_poll(owner)
    token = csrf_of(owner.get(f"/polls/{slug}/delete").text)
    owner.post(f"/polls/{slug}/delete", data={"confirm": "yes", "csrf_token": token})
    response = owner.get(f"/polls/{slug}/embed")
    assert response.status_code == 404 and response.headers["x-frame-options"] == "DENY"


def test_embed_origins_come_from_settings(client_factory: Callable[..., TestClient]) -> None:
    client = client_factory(
        embed_allowed_origins=("https://course.example.edu", "https://slides.example")
    )
    sign_in_guest(client)
    slug = create_poll(client)
    policy = client.get(f"/polls/{slug}/embed").headers["content-security-policy"]
    assert "frame-ancestors https://course.example.edu https://slides.example" in policy


def test_embed_has_results_a_table_for_screen_readers_and_no_controls(owner: TestClient) -> None:
    slug = create_poll(owner)
    html = owner.get(f"/polls/{slug}/embed?theme=dark").text
    assert 'class="embed theme-dark"' in html
    assert '<table id="results-table"' in html and '<th scope="row">Old hat</th>' in html
    assert 'aria-live="polite"' in html
    assert (
        'id="vote-form"' not in html
        and "Close voting now" not in html
        and "csrf_token" not in html.split("<main")[1]
    )


def test_an_unknown_theme_is_ignored(owner: TestClient) -> None:
    slug = create_poll(owner)
    assert 'class="embed"' in owner.get(f"/polls/{slug}/embed?theme=%22%3E%3Cscript%3E").text


def test_room_sockets_get_results_without_the_vote_form(
    owner: TestClient, client_factory: Callable[..., TestClient]
) -> None:
    slug = create_poll(owner)
    student = client_factory()
    sign_in_guest(student, "Sam")
    with owner.websocket_connect(f"/polls/{slug}/ws?view=room") as room:
        state = receive_until(room, 'id="results"')
        assert 'id="vote-panel"' not in state and 'id="results-table"' in state
        vote(student, slug, first_choice(owner, slug))
        update = receive_until(room, 'data-total-votes="1"')
    assert 'id="results-table"' in update
    assert 'class="voter"' not in update  # the owner's projector shows what the room may see


def test_owner_page_links_the_projector_and_offers_the_embed_snippet(
    owner: TestClient, client_factory: Callable[..., TestClient]
) -> None:
    slug = create_poll(owner)
    html = owner.get(f"/polls/{slug}").text
    assert f'href="/polls/{slug}/present"' in html
    assert f"&lt;iframe src=&#34;http://testserver/polls/{slug}/embed?theme=light&#34;" in html
    assert "crowdsource:height" in html
    visitor = client_factory()
    assert f'href="/polls/{slug}/present"' not in visitor.get(f"/polls/{slug}").text


@pytest.mark.parametrize("view", ["", "/present", "/embed"])
def test_every_live_page_has_a_hidden_connection_notice_for_its_script(
    owner: TestClient, view: str
) -> None:
    """Hidden in the HTML (nothing to say without JavaScript); static/js/live.js fills and shows it
    when the live connection drops, as a status that screen readers announce."""
    slug = create_poll(owner)
    html = owner.get(f"/polls/{slug}{view}").text
    notice = re.search(r"<p [^>]*data-connection-notice[^>]*>", html)
    assert notice, html[:300]
    assert 'role="status"' in notice.group(0) and " hidden" in notice.group(0)
    assert html.index("data-connection-notice") > html.index('id="poll-live"')
