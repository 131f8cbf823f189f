"""Which environment variables the code reads, and which ones the README documents."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from unittest import mock

from starlette.config import Config

from crowdsource.settings import Settings

REPO = Path(__file__).resolve().parents[2]


def variables_read(data_dir: Path) -> set[str]:
    """Every variable `Settings.load` asks for (the one place that reads the environment;
    tests/test_meta.py keeps it so), found by recording the lookups of a real load."""
    asked: set[str] = set()
    original = Config.get

    def recording(self: Config, key: str, *args: Any, **kwargs: Any) -> Any:
        asked.add(key)
        return original(self, key, *args, **kwargs)

    with mock.patch.object(Config, "get", recording):
        Settings.load({"DATA_DIR": str(data_dir)}, env_file=None)
    return asked


def documented_variables(readme: str) -> set[str]:
    """The variables named in the first column of the README's configuration table."""
    section = readme.split("\n## Configuration", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    return {name for row in rows for name in re.findall(r"`([A-Z][A-Z0-9_]+)`", row.split("|")[1])}
