"""The realtime layer knows data and template names, not the web framework or its markup."""

from __future__ import annotations

import ast
from pathlib import Path

from starlette import status

from crowdsource.realtime import close_codes

REALTIME = Path(__file__).resolve().parents[2] / "src" / "crowdsource" / "realtime"


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    names |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    return names


def test_realtime_imports_neither_the_template_engine_nor_the_web_layer() -> None:
    modules = sorted(REALTIME.rglob("*.py"))
    assert modules
    for path in modules:
        for name in imports_of(path):
            assert not name.startswith(("jinja2", "starlette", "crowdsource.web")), (path, name)


def test_no_markup_is_written_in_realtime_python() -> None:
    for path in REALTIME.rglob("*.py"):
        assert "hx-swap-oob" not in path.read_text(), path


TRANSPORT = {"hub", "client", "frames", "close_codes"}  # sockets, messages and frames


def test_the_hub_knows_sockets_not_polls() -> None:
    for module in TRANSPORT:
        imported = {name for name in imports_of(REALTIME / f"{module}.py")}
        assert {name for name in imported if name.startswith("crowdsource")} <= {
            f"crowdsource.realtime.{other}" for other in TRANSPORT
        }, module


def test_close_codes_carry_starlette_s_names_and_values() -> None:
    assert close_codes.WS_1000_NORMAL_CLOSURE == status.WS_1000_NORMAL_CLOSURE
    assert close_codes.WS_1012_SERVICE_RESTART == status.WS_1012_SERVICE_RESTART
