"""Meta tests: every route is exercised by some test, every setting is documented, the web
layer's modules import only what is below them."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from starlette.routing import Mount, Route, WebSocketRoute

from crowdsource.app import create_app
from tests.helpers.client import make_settings
from tests.helpers.environment import documented_variables, variables_read

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


def test_the_readme_documents_exactly_the_variables_the_code_reads(tmp_path: Path) -> None:
    """A variable the code reads but the README omits fails, and so does a row the code no
    longer reads."""
    read, documented = variables_read(tmp_path), documented_variables(README)
    assert sorted(read - documented) == [], "read by the code, missing from the README"
    assert sorted(documented - read) == [], "in the README, no longer read by the code"
    assert {"DATABASE_URL", "SECRET_KEY", "PUBLIC_URL", "DATA_DIR", "REDIS_URL"} <= documented


def test_only_settings_reads_the_environment() -> None:
    """So that recording `Settings.load` finds every variable. cli.py hands PUBLIC_URL to its
    workers; db.py's TORTOISE_ORM is for `tortoise makemigrations` only."""
    readers = {
        path.relative_to(REPO / "src").as_posix()
        for path in (REPO / "src").rglob("*.py")
        if re.search(r"os\.environ|getenv", path.read_text())
    }
    assert readers <= {"crowdsource/settings.py", "crowdsource/cli.py", "crowdsource/domain/db.py"}
    cli = (REPO / "src/crowdsource/cli.py").read_text()
    assert re.findall(r"os\.environ[.\[]\w*", cli) == ["os.environ.setdefault"]


def crowdsource_imports(path: Path) -> set[str]:
    """The `crowdsource.…` modules a file imports, at the top or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            found |= {node.module} | {f"{node.module}.{alias.name}" for alias in node.names}
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
    return {name for name in found if name.startswith("crowdsource.")}


# What a web module must not import, beyond the route modules that only the router's
# assembly (routes/__init__.py, and urls.py to name routes) may know.
FORBIDDEN_IN_WEB = {
    "templating.py": ("crowdsource.auth", "crowdsource.web.pages", "crowdsource.web.guards"),
    "errors.py": ("crowdsource.web.guards",),
    "middleware/": ("crowdsource.web.guards", "crowdsource.web.pages"),
}


def web_layer_crossings(web: Path) -> list[str]:
    crossings = []
    for path in sorted(web.rglob("*.py")):
        name = path.relative_to(web).as_posix()
        forbidden = [] if name in ("routes/__init__.py", "urls.py") else ["crowdsource.web.routes"]
        for prefix, modules in FORBIDDEN_IN_WEB.items():
            if name.startswith(prefix):
                forbidden += modules
        crossings += [
            f"{name} imports {module}"
            for module in sorted(crowdsource_imports(path))
            if any(module == bad or module.startswith(bad + ".") for bad in forbidden)
        ]
    return crossings


def test_web_layers_do_not_cross() -> None:
    """Route modules use the web modules below them (pages, guards, urls…), never each other;
    templating is the Jinja environment only; errors and middleware know no guard."""
    assert web_layer_crossings(REPO / "src/crowdsource/web") == []
