"""The language of every page (DESIGN §2, Languages): `?lang=` sets the cookie
`crowdsource_lang`, then the cookie, then `Accept-Language`, then DEFAULT_LANGUAGE; `<html lang
dir>`; the footer's switcher; a room's or poll's own language on its projector and embed."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from starlette.testclient import TestClient

from crowdsource.i18n.current import _, ngettext, speaking
from tests.helpers.client import create_poll, csrf_of
from tests.helpers.rooms import ask, create_room, host_post

HTML = re.compile(r'<html lang="([^"]+)" dir="(ltr|rtl)">')


def html_of(response: object) -> tuple[str, str]:
    match = HTML.search(response.text)  # type: ignore[attr-defined]
    assert match, "no <html lang dir>"
    return match.group(1), match.group(2)


def said(language: str, message: str) -> str:
    with speaking(language):
        return _(message)


def test_english_without_any_preference(client: TestClient) -> None:
    page = client.get("/")
    assert html_of(page) == ("en", "ltr")
    assert "Skip to content" in page.text


def test_accept_language_is_honoured_with_its_q_values(client: TestClient) -> None:
    page = client.get("/", headers={"Accept-Language": "ja, de;q=0.4, fr;q=0.8"})
    assert html_of(page) == ("fr", "ltr")
    assert said("fr", "Skip to content") in page.text != "Skip to content"
    assert "crowdsource_lang" not in page.headers.get("set-cookie", "")  # nothing remembered
    assert page.headers["content-language"] == "fr"
    assert {"Accept-Language", "Cookie"} <= {
        part.strip() for part in page.headers["vary"].split(",")
    }  # a shared cache keeps one copy per language


def test_lang_in_the_query_sets_the_cookie_and_the_cookie_beats_the_browser(
    client: TestClient,
) -> None:
    first = client.get("/?lang=ar", headers={"Accept-Language": "fr"})
    assert html_of(first) == ("ar", "rtl")
    cookie = first.headers["set-cookie"]
    assert "crowdsource_lang=ar; Path=/; Max-Age=31536000; SameSite=Lax" in cookie
    assert first.headers["cache-control"] == "private, no-store"  # it sets a cookie
    later = client.get("/join", headers={"Accept-Language": "fr"})
    assert html_of(later) == ("ar", "rtl")
    assert said("ar", "Skip to content") in later.text
    again = client.get("/join?lang=pt_br", headers={"Accept-Language": "fr"})
    assert html_of(again) == ("pt-BR", "ltr")
    assert html_of(client.get("/")) == ("pt-BR", "ltr")


def test_another_sites_malformed_cookie_does_not_hide_the_language_cookie(
    client: TestClient,
) -> None:
    """Cookies are read as `request.cookies` reads them: one unterminated quote (another
    script's cookie on the same host) does not cost the page its language."""
    cookie = 'tracker="unterminated; crowdsource_lang=fr'
    page = client.get("/", headers={"Cookie": cookie, "Accept-Language": "de"})
    assert html_of(page) == ("fr", "ltr")


@pytest.mark.parametrize("bad", ["xx", "../../etc", "e" * 300, "en;fr"])
def test_a_language_not_offered_changes_nothing(client: TestClient, bad: str) -> None:
    page = client.get("/", params={"lang": bad}, headers={"Accept-Language": "de"})
    assert page.status_code == 200 and html_of(page) == ("de", "ltr")
    assert "crowdsource_lang" not in page.headers.get("set-cookie", "")


def test_the_settings_limit_what_is_offered_and_choose_the_default(
    client_factory: Callable[..., TestClient],
) -> None:
    client = client_factory(languages=("en", "ar"), default_language="ar")
    assert html_of(client.get("/", headers={"Accept-Language": "de, ja"})) == ("ar", "rtl")
    assert html_of(client.get("/?lang=fr")) == ("ar", "rtl")  # not offered here
    footer = client.get("/").text.split('class="language-switcher"', 1)[1]
    assert re.findall(r'hreflang="([^"]+)"', footer) == ["en", "ar"]


def test_the_footer_links_this_page_in_every_language_without_javascript(
    client: TestClient,
) -> None:
    page = client.get("/join?code=ABC&lang=de").text
    switcher = page.split('<nav class="language-switcher"', 1)[1].split("</nav>", 1)[0]
    links = dict(re.findall(r'href="([^"]+)" hreflang="([^"]+)"', switcher))
    assert set(links.values()) == {"en", "es", "fr", "de", "pt-BR", "ar"}
    assert "/join?code=ABC&amp;lang=ar" in links
    assert 'lang="ar" dir="rtl"' in switcher and ">العربية<" in switcher
    assert re.search(r'hreflang="de" lang="de" dir="ltr" aria-current="true">Deutsch<', switcher)


def test_times_are_written_in_the_language_and_the_viewers_time_zone(
    owner: TestClient,
) -> None:
    slug = create_poll(owner, closes_at="2099-05-17T14:30", timezone="UTC")
    owner.cookies.set("crowdsource_tz", "America/Sao_Paulo")
    page = owner.get(f"/polls/{slug}?lang=pt-BR").text
    assert 'datetime="2099-05-17T14:30:00Z"' in page
    assert "17 de mai. de 2099 11:30" in page  # São Paulo is three hours behind
    owner.cookies.set("crowdsource_tz", "Not/AZone")
    assert "17 de mai. de 2099 14:30 UTC" in owner.get(f"/polls/{slug}").text


def test_a_rooms_projector_speaks_the_rooms_language_whatever_the_browser_says(
    owner: TestClient, stranger: TestClient
) -> None:
    code = create_room(owner)
    console = owner.get(f"/r/{code}/host").text
    assert 'name="language"' in console and 'action="/r/' + code + '/language"' in console
    response = host_post(owner, f"/r/{code}/language", language="es")
    assert response.status_code == 303 and response.headers["location"] == f"/r/{code}/host"
    english_browser = {"Accept-Language": "en"}
    assert html_of(owner.get(f"/r/{code}/present", headers=english_browser))[0] == "es"
    assert html_of(owner.get(f"/r/{code}/present?lang=fr"))[0] == "fr"  # asked for: honoured
    # A student's own choice stays theirs; a browser asking for nothing offered gets Spanish.
    assert html_of(stranger.get(f"/r/{code}", headers=english_browser))[0] == "en"
    assert html_of(stranger.get(f"/r/{code}", headers={"Accept-Language": "ja"}))[0] == "es"
    refused = host_post(owner, f"/r/{code}/language", language="tlh")
    assert refused.status_code == 303
    # Said when it was stored, in the language this browser chose above (French).
    assert said("fr", "Pick one of the languages in the list.") in owner.get(f"/r/{code}/host").text
    assert html_of(owner.get(f"/r/{code}/present", headers=english_browser))[0] == "es"
    host_post(owner, f"/r/{code}/language", language="")
    # Each screen's own again: this browser's, which chose French above (the cookie).
    assert html_of(owner.get(f"/r/{code}/present", headers=english_browser))[0] == "fr"
    assert html_of(stranger.get(f"/r/{code}/present", headers=english_browser))[0] == "en"


def test_a_room_questions_own_projector_speaks_the_rooms_language_else_its_own(
    owner: TestClient, stranger: TestClient
) -> None:
    code = create_room(owner)
    slug = ask(owner, code)
    english_browser = {"Accept-Language": "en"}
    assert html_of(stranger.get(f"/polls/{slug}/present", headers=english_browser))[0] == "en"
    host_post(owner, f"/r/{code}/language", language="pt-BR")
    assert html_of(stranger.get(f"/polls/{slug}/present", headers=english_browser))[0] == "pt-BR"
    host_post(owner, f"/r/{code}/language", language="")
    assert html_of(stranger.get(f"/polls/{slug}/present", headers=english_browser))[0] == "en"


def test_a_polls_projector_and_embed_speak_the_polls_language(
    owner: TestClient, stranger: TestClient
) -> None:
    slug = create_poll(owner)
    token = csrf_of(owner.get(f"/polls/{slug}").text)
    response = owner.post(
        f"/polls/{slug}/language",
        data={"language": "ar", "csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 303
    for path in (f"/polls/{slug}/present", f"/polls/{slug}/embed"):
        assert html_of(stranger.get(path, headers={"Accept-Language": "de"})) == ("ar", "rtl")
    assert html_of(stranger.get(f"/polls/{slug}", headers={"Accept-Language": "de"}))[0] == "de"
    other = stranger.post(
        f"/polls/{slug}/language",
        data={"language": "fr", "csrf_token": csrf_of(stranger.get("/").text)},
        follow_redirects=False,
    )
    assert other.status_code in (303, 403)  # signed out: to sign in; never changed
    assert html_of(stranger.get(f"/polls/{slug}/present"))[0] == "ar"


def test_a_socket_speaks_its_pages_language(client_factory: Callable[..., TestClient]) -> None:
    owner = client_factory()
    from tests.helpers.client import sign_in_guest

    sign_in_guest(owner, "Alex Owner")
    slug = create_poll(owner)
    owner.cookies.set("crowdsource_lang", "fr")
    with owner.websocket_connect(f"/polls/{slug}/ws") as socket:
        first = socket.receive_text()
    with speaking("fr"):
        watching = ngettext("%(count)s watching", "%(count)s watching", 1) % {"count": 1}
    assert watching in first and "1 watching" not in first


def test_a_quick_ask_is_stored_in_the_rooms_language(owner: TestClient) -> None:
    code = create_room(owner)
    host_post(owner, f"/r/{code}/language", language="es")
    assert host_post(owner, f"/r/{code}/polls", preset="yes_no", launch="1").status_code == 303
    stage = owner.get(f"/r/{code}", headers={"Accept-Language": "en"}).text
    assert said("es", "Yes or no?") in stage and said("es", "No") in stage
    assert said("es", "Yes or no?") != "Yes or no?"


def test_counts_and_shares_are_written_as_the_language_writes_them(
    owner: TestClient, student: TestClient
) -> None:
    slug = create_poll(owner)
    page = student.get(f"/polls/{slug}")
    choice = re.findall(r'name="choice" value="(\d+)"', page.text)[0]
    student.post(
        f"/polls/{slug}/votes",
        data={"choice": choice, "csrf_token": csrf_of(page.text)},
        follow_redirects=False,
    )
    english = owner.get(f"/polls/{slug}?lang=en").text
    french = owner.get(f"/polls/{slug}?lang=fr").text
    assert '<span class="choice-pct">100%</span>' in english
    assert '<span class="choice-pct">100\u00a0%</span>' in french  # a space before % in French
