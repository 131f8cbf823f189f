"""Who may read what the server keeps on disk: DATA_DIR, the generated secret, the SQLite file.

`crowdsource serve` and `migrate` start with a umask that leaves group and others out, so
everything they create is private (folders 0700, files 0600), the SQLite WAL and shared
memory files included, however SQLite names them. What an older version or a person left
open is not changed behind anyone's back: `warnings` names it at start, with the fix."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from crowdsource.domain.database_urls import sqlite_file
from crowdsource.settings import GENERATED_KEY_FILE, Settings

PRIVATE_UMASK = 0o077  # no permission for group or others on anything created
OTHERS = stat.S_IRWXG | stat.S_IRWXO


def keep_new_files_private() -> int:
    """Make everything this process (and its workers) creates private; a stricter umask
    stays. Returns the previous umask."""
    previous = os.umask(PRIVATE_UMASK)
    os.umask(previous | PRIVATE_UMASK)
    return previous


def open_mode(path: Path) -> int | None:
    """The permission bits of `path` when group or others have any, else None (also when
    it does not exist or cannot be read)."""
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return None
    return mode if mode & OTHERS else None


def warnings(settings: Settings) -> list[str]:
    """A line for each of DATA_DIR, the secret file and the SQLite file that other users of
    this machine may open."""
    found = []
    kept = [
        (settings.data_dir, "DATA_DIR", "700"),
        (settings.data_dir / GENERATED_KEY_FILE, "the secret key", "600"),
    ]
    database = sqlite_file(settings.database_url)
    if database is not None:
        kept.append((database, "the database", "600"))
    for path, name, fix in kept:
        mode = open_mode(path)
        if mode is not None:
            found.append(
                f"{name} {str(path)!r} can be opened by other users of this machine "
                f"(mode {mode:o}): chmod {fix} {path}"
            )
    return found
