"""The forms' limits are the domain's: templates read them from `limits`, never as numbers."""

from __future__ import annotations

import re
from pathlib import Path

from starlette.testclient import TestClient

from crowdsource.domain.models import CHOICE_MAX, NAME_MAX, QUESTION_MAX
from crowdsource.domain.poll_input import MAX_CHOICES, MAX_MINUTES, MIN_MINUTES
from tests.helpers.client import create_poll

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
# maxlength/min/max written as a number; a <progress> bar counts percent, not a limit.
LITERAL_LIMIT = re.compile(
    r'(?<!<progress class="bar" )(?<!bar-previous" )\b(maxlength|min|max)="\d'
)


def test_no_template_writes_a_limit_as_a_number() -> None:
    literals = [
        f"{path.name}: {match.group(0)}"
        for path in TEMPLATES.rglob("*.html")
        for match in LITERAL_LIMIT.finditer(path.read_text())
    ]
    assert literals == []
    assert LITERAL_LIMIT.search('<input maxlength="40">')


def test_the_create_form_carries_the_domain_limits(owner: TestClient) -> None:
    html = owner.get("/").text
    assert f'name="question" rows="2" data-maxlength="{QUESTION_MAX}"' in html
    assert f'name="choices" type="text" data-maxlength="{CHOICE_MAX}"' in html
    assert f'data-max="{MAX_CHOICES}" data-choice-max="{CHOICE_MAX}"' in html  # for app.js


def test_pasted_text_is_never_cut_by_the_browser(owner: TestClient) -> None:
    """No `maxlength` on the question and responses: a browser would silently cut what is
    pasted; the page counts instead (static/js/poll_form.js) and the server says what to
    shorten (tests/web/test_routes_polls.py)."""
    form = owner.get("/").text.split('id="poll-form"')[1].split("</form>")[0]
    assert " maxlength=" not in form


def test_the_guest_form_and_the_owner_panel_carry_them_too(
    client: TestClient, owner: TestClient
) -> None:
    assert f'name="name" type="text" maxlength="{NAME_MAX}"' in client.get("/login").text
    panel = owner.get(f"/polls/{create_poll(owner)}").text
    assert f'min="{MIN_MINUTES}" max="{MAX_MINUTES}"' in panel
