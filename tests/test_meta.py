"""Meta tests: every route is exercised by some test, every setting is documented."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from starlette.routing import Mount, Route, WebSocketRoute

from crowdsource.app import create_app
from crowdsource.settings import Settings
from tests.conftest import make_settings

REPO = Path(__file__).resolve().parents[1]
TEST_SOURCES = "\n".join(path.read_text() for path in (REPO / "tests").rglob("test_*.py"))
README = (REPO / "README.md").read_text()


def route_paths(tmp_path: Path) -> list[str]:
    app = create_app(make_settings(tmp_path))
    return [
        route.path
        for route in app.routes
        if isinstance(route, (Route, WebSocketRoute)) and not isinstance(route, Mount)
    ]


def test_every_route_is_requested_by_some_test(tmp_path: Path) -> None:
    untested = []
    for path in route_paths(tmp_path):
        # /polls/{slug}/close is written f"/polls/{slug}/close" in tests; other parameters
        # ({login}, {name}) appear as concrete values.
        pattern = re.escape(path).replace(r"\{slug\}", r"\{?[\w-]+\}?")
        pattern = re.sub(r"\\\{(\w+)\\\}", r"[^\"'/]+", pattern)
        action = path.rsplit("/", 1)[-1]
        through_helper = f'"{action}"' in TEST_SOURCES and "/polls/{slug}/{action}" in TEST_SOURCES
        if not re.search(rf"[\"'f]{pattern}[\"'?]", TEST_SOURCES) and not through_helper:
            untested.append(path)
    assert untested == []


def test_every_setting_is_documented_in_the_readme() -> None:
    undocumented = [
        field.name.upper()
        for field in dataclasses.fields(Settings)
        if f"`{field.name.upper()}`" not in README
        and field.name not in {"public_url", "data_dir", "secret_key", "database_url"}
    ]
    assert undocumented == []
    for contract in ("DATABASE_URL", "SECRET_KEY", "PUBLIC_URL", "DATA_DIR", "REDIS_URL"):
        assert f"`{contract}`" in README
