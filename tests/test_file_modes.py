"""What the server keeps on disk is private to its user, whatever the umask it was started
with; what was left open before is named at start."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx2

from crowdsource import file_modes
from crowdsource.settings import writable_folder
from crowdsource.startup import warnings
from tests.helpers.client import csrf_of, make_settings
from tests.helpers.live_server import REPO, LiveServer


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@contextmanager
def umask(value: int) -> Iterator[None]:
    """Run with this umask (child processes inherit it), then put the old one back."""
    previous = os.umask(value)
    try:
        yield
    finally:
        os.umask(previous)


def test_keeping_new_files_private_leaves_group_and_others_out() -> None:
    with umask(0o022):
        assert file_modes.keep_new_files_private() == 0o022
        assert os.umask(0o022) == 0o077
    with umask(0o027):
        file_modes.keep_new_files_private()
        assert os.umask(0o027) == 0o077
    with umask(0o277):  # a stricter one stays
        file_modes.keep_new_files_private()
        assert os.umask(0o277) == 0o277


def test_a_folder_this_process_creates_is_private(tmp_path: Path) -> None:
    with umask(0o022):
        folder = writable_folder(tmp_path / "data", "DATA_DIR")
    assert mode(folder) == 0o700


def test_migrate_creates_a_private_data_dir_database_and_secret(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    environment = {
        **{k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DATABASE_URL"}},
        "PYTHONPATH": str(REPO / "src"),
        "DATA_DIR": str(data_dir),
    }
    with umask(0o022):
        result = subprocess.run(
            [sys.executable, "-m", "crowdsource", "migrate"],
            env=environment,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert result.returncode == 0, result.stderr
    assert mode(data_dir) == 0o700
    assert mode(data_dir / "secret_key") == 0o600
    assert mode(data_dir / "crowdsource.sqlite3") == 0o600


def test_a_running_server_keeps_the_database_and_its_wal_private(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    with umask(0o022):
        server = LiveServer(data_dir).start()  # the test made DATA_DIR, 0755: said at start
    try:
        with httpx2.Client(base_url=server.url) as http:
            login = http.get("/login")
            http.post("/login/guest", data={"name": "Ada", "csrf_token": csrf_of(login.text)})
        files = {path.name: mode(path) for path in data_dir.glob("crowdsource.sqlite3*")}
    finally:
        server.stop()
    assert {"crowdsource.sqlite3", "crowdsource.sqlite3-wal", "crowdsource.sqlite3-shm"} <= set(
        files
    )
    assert set(files.values()) == {0o600}, files  # the migration lock file too
    assert (
        f"crowdsource: warning: DATA_DIR {str(data_dir)!r} can be opened by other users of "
        f"this machine (mode 755): chmod 700 {data_dir}"
    ) in server.log()


def test_a_data_dir_secret_and_database_open_to_others_are_warned_about(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir(mode=0o750)
    data_dir.chmod(0o750)
    secret = data_dir / "secret_key"
    secret.write_text("x" * 64)
    secret.chmod(0o644)
    database = tmp_path / "polls.sqlite3"
    database.write_bytes(b"")
    database.chmod(0o640)
    settings = make_settings(tmp_path, data_dir=data_dir, database_url=f"sqlite://{database}")
    assert warnings(settings) == [
        f"DATA_DIR {str(data_dir)!r} can be opened by other users of this machine (mode 750): "
        f"chmod 700 {data_dir}",
        f"the secret key {str(secret)!r} can be opened by other users of this machine "
        f"(mode 644): chmod 600 {secret}",
        f"the database {str(database)!r} can be opened by other users of this machine "
        f"(mode 640): chmod 600 {database}",
    ]
    for path, private in ((data_dir, 0o700), (secret, 0o600), (database, 0o600)):
        path.chmod(private)
    assert warnings(settings) == []
