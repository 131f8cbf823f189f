"""Real Redis and PostgreSQL servers for tests, from the Debian binaries, on 127.0.0.1.

Each server lives in its own temporary folder on a free port and is gone when stopped.
`missing_reason()` says why a server cannot run here (the tests then skip with that reason).
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

REDIS_SERVER = "/usr/bin/redis-server"
POSTGRES_BIN_GLOB = "/usr/lib/postgresql/*/bin"
POSTGRES_OS_USER = "postgres"  # PostgreSQL refuses to run as root: Debian's account runs it
STARTUP_TIMEOUT = 30.0


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


def wait_for_port(host: str, port: int, timeout: float = STARTUP_TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            probe.settimeout(0.2)
            if probe.connect_ex((host, port)) == 0:
                return
        time.sleep(0.02)
    raise RuntimeError(f"nothing listens on {host}:{port} after {timeout:.0f} s")


class RedisServer:
    """`redis-server` without persistence; `kill()` and `start()` again on the same port."""

    def __init__(self) -> None:
        self.host = "127.0.0.1"
        self.port = free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="crowdsource-redis-"))
        self.process: subprocess.Popen[bytes] | None = None

    @staticmethod
    def missing_reason() -> str | None:
        if not Path(REDIS_SERVER).exists():
            return f"{REDIS_SERVER} is not installed (apt-get install redis-server)"
        return None

    def url(self) -> str:
        return f"redis://{self.host}:{self.port}/0"

    def start(self) -> RedisServer:
        log = (self.folder / "redis.log").open("ab")
        self.process = subprocess.Popen(
            [
                REDIS_SERVER,
                "--port",
                str(self.port),
                "--bind",
                self.host,
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.folder),
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        wait_for_port(self.host, self.port)
        return self

    def kill(self) -> None:
        """Die at once, the way a crashed or restarted Redis does."""
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None

    def stop(self) -> None:
        self.kill()
        shutil.rmtree(self.folder, ignore_errors=True)


def _postgres_bin() -> Path | None:
    found = sorted(glob.glob(POSTGRES_BIN_GLOB), key=lambda p: int(Path(p).parent.name))
    for folder in reversed(found):
        if (Path(folder) / "initdb").exists() and (Path(folder) / "pg_ctl").exists():
            return Path(folder)
    return None


class PostgresServer:
    """A throw-away PostgreSQL cluster (initdb + pg_ctl) with trust auth on 127.0.0.1. For
    the tests it neither syncs nor waits for its log; `durable` keeps PostgreSQL's defaults
    (every commit flushed to disk), as a benchmark of the app in production wants."""

    user = "postgres"

    def __init__(self, *, durable: bool = False) -> None:
        self.durable = durable
        self.host = "127.0.0.1"
        self.port = free_port()
        self.bin = _postgres_bin()
        self.folder = Path(tempfile.mkdtemp(prefix="crowdsource-pg-"))
        self.data = self.folder / "data"
        self._as_root = os.geteuid() == 0

    @staticmethod
    def missing_reason() -> str | None:
        if _postgres_bin() is None:
            return f"no initdb/pg_ctl under {POSTGRES_BIN_GLOB} (apt-get install postgresql)"
        if os.geteuid() == 0:
            try:
                pwd.getpwnam(POSTGRES_OS_USER)
            except KeyError:
                return f"running as root and there is no {POSTGRES_OS_USER!r} user to run it"
            if shutil.which("runuser") is None:
                return "running as root and `runuser` is missing"
        return None

    def url(self, database: str = "postgres", password: str | None = None) -> str:
        auth = f"{self.user}:{password}" if password else self.user
        return f"postgres://{auth}@{self.host}:{self.port}/{database}"

    def _run(self, *command: str | Path, as_owner: bool = True) -> None:
        args: list[str] = [str(part) for part in command]
        if self._as_root and as_owner:
            args = ["runuser", "-u", POSTGRES_OS_USER, "--", *args]
        subprocess.run(args, check=True, capture_output=True, timeout=60)

    def start(self) -> PostgresServer:
        assert self.bin is not None
        if self._as_root:
            owner = pwd.getpwnam(POSTGRES_OS_USER)
            os.chown(self.folder, owner.pw_uid, owner.pw_gid)
        if not self.data.exists():
            self._run(
                self.bin / "initdb",
                "-D",
                self.data,
                "-A",
                "trust",
                "-U",
                self.user,
                "-E",
                "UTF8",
                "--no-sync",
            )
        options = f"-c listen_addresses={self.host} -p {self.port} -k {self.folder}"
        if not self.durable:
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        self._run(
            self.bin / "pg_ctl",
            "-D",
            self.data,
            "-o",
            options,
            "-l",
            self.folder / "log",
            "-w",
            "start",
        )
        wait_for_port(self.host, self.port)
        return self

    @property
    def pid(self) -> int:
        """The postmaster's process id (its backends are its children)."""
        return int((self.data / "postmaster.pid").read_text().split("\n", 1)[0])

    def halt(self, mode: str = "fast") -> None:
        """Stop the server (`start()` brings it back); open connections are cut, as in a
        restart. "immediate" is a crash: with this cluster's no-fsync settings it may lose
        recent commits."""
        assert self.bin is not None
        self._run(self.bin / "pg_ctl", "-D", self.data, "-m", mode, "-w", "stop")

    def stop(self) -> None:
        try:
            if (self.data / "postmaster.pid").exists():
                self.halt("immediate")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)

    def sql(self, *statements: str, database: str = "postgres") -> None:
        """Run statements with psql (each on its own, outside a transaction)."""
        assert self.bin is not None
        command: list[str | Path] = [
            self.bin / "psql",
            "-X",
            "-q",
            "-v",
            "ON_ERROR_STOP=1",
            "-h",
            self.host,
            "-p",
            str(self.port),
            "-U",
            self.user,
            "-d",
            database,
        ]
        for statement in statements:
            command += ["-c", statement]
        self._run(*command, as_owner=False)

    def create_database(self, template: str | None = None) -> str:
        """A new, empty (or copied from `template`) database; returns its name."""
        name = f"t_{uuid.uuid4().hex[:16]}"
        clause = f" TEMPLATE {template}" if template else ""
        self.sql(f"CREATE DATABASE {name}{clause}")
        return name

    def drop_database(self, name: str) -> None:
        self.sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
