"""Compile the message catalogues at build: `pip install .` ships every language as `.mo`
inside the package, and an editable install compiles them beside their `.po` (ignored by git).
The `.po` files are the only catalogues in the repository."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CustomBuildHook(BuildHookInterface):
    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        locales = Path(self.root) / "locales"
        target = (
            locales if version == "editable" else Path(tempfile.mkdtemp(prefix="crowdsource-mo-"))
        )
        for po_path in sorted(locales.glob("*/LC_MESSAGES/messages.po")):
            relative = po_path.relative_to(locales).with_suffix(".mo")
            mo_path = target / relative
            mo_path.parent.mkdir(parents=True, exist_ok=True)
            with po_path.open("rb") as source:
                catalog = read_po(source, locale=po_path.parent.parent.name)
            with mo_path.open("wb") as out:
                write_mo(out, catalog)
            if version != "editable":
                build_data["force_include"][str(mo_path)] = f"crowdsource/locales/{relative}"
