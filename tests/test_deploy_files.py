"""fly.toml and the Dockerfile agree with the app they deploy."""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path

from crowdsource.cli import GRACEFUL_SHUTDOWN_SECONDS, build_parser
from crowdsource.web.routes import all_routes

REPO = Path(__file__).resolve().parents[1]
FLY = tomllib.loads((REPO / "fly.toml").read_text())
DOCKERFILE = (REPO / "Dockerfile").read_text()


def seconds(value: str) -> int:
    match = re.fullmatch(r"(\d+)s", value)
    assert match, value
    return int(match.group(1))


def test_fly_sends_traffic_to_the_port_the_container_serves_on() -> None:
    assert '"--port", "8080"' in DOCKERFILE and '"--host", "0.0.0.0"' in DOCKERFILE
    assert FLY["http_service"]["internal_port"] == 8080


def test_the_health_check_is_the_apps_healthz() -> None:
    paths = {getattr(route, "path", None) for route in all_routes()}
    checks = FLY["http_service"]["checks"]
    assert [check["path"] for check in checks] == ["/healthz"] and "/healthz" in paths


def test_websockets_count_as_connections_and_shutdown_waits_for_them() -> None:
    assert FLY["http_service"]["concurrency"]["type"] == "connections"
    assert FLY["kill_signal"] == "SIGTERM"
    assert seconds(FLY["kill_timeout"]) > GRACEFUL_SHUTDOWN_SECONDS


def test_proxy_headers_are_trusted_and_data_lives_on_the_volume() -> None:
    env = FLY["env"]
    assert env["FORWARDED_ALLOW_IPS"] == "*"
    assert [mount["destination"] for mount in FLY["mounts"]] == [env["DATA_DIR"]]
    assert "DATA_DIR=/data" in DOCKERFILE


def test_the_postgres_release_step_is_a_real_command() -> None:
    text = (REPO / "fly.toml").read_text()
    match = re.search(r'^\s*#\s*release_command = "crowdsource (\w+)"', text, re.MULTILINE)
    assert match, "fly.toml documents the PostgreSQL release step"
    assert build_parser().parse_args([match.group(1)]).command == "migrate"


def test_the_container_drops_root_through_an_executable_entrypoint() -> None:
    entrypoint = REPO / "deploy" / "entrypoint.sh"
    assert os.access(entrypoint, os.X_OK)
    assert "setpriv --reuid=crowdsource" in entrypoint.read_text()
    assert "COPY deploy/entrypoint.sh" in DOCKERFILE and "useradd" in DOCKERFILE
