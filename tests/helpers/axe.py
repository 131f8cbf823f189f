"""axe-core in a page: the accessibility checker the browser tests run (scripts/test fetches
it into .cache; AXE_JS points elsewhere)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from playwright.sync_api import Page

AXE_JS = os.environ.get(
    "AXE_JS", str(Path(__file__).resolve().parents[2] / ".cache" / "axe-core-4.14.1" / "axe.min.js")
)


def serious_violations(page: Page) -> list[dict[str, Any]]:
    page.add_script_tag(path=AXE_JS)
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
        if v["impact"] in {"serious", "critical"}
    ]
