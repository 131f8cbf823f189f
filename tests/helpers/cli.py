"""Running the `crowdsource` command line as a person would, in a child process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.helpers.live_server import REPO


def crowdsource(*args: str, data_dir: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """`python -m crowdsource ARGS` on DATA_DIR `data_dir`, with `env` and without the caller's
    SECRET_KEY, DATABASE_URL and REDIS_URL; its output captured."""
    environment = {
        k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DATABASE_URL", "REDIS_URL"}
    }
    environment.update({"PYTHONPATH": str(REPO / "src"), "DATA_DIR": str(data_dir), **env})
    return subprocess.run(
        [sys.executable, "-m", "crowdsource", *args],
        capture_output=True,
        text=True,
        env=environment,
        timeout=60,
        check=False,
    )
