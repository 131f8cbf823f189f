"""`crowdsource serve | migrate`."""

from __future__ import annotations

import argparse
import asyncio
import errno
import os
import socket
import sys
from collections.abc import Mapping, Sequence

from crowdsource import __version__, db
from crowdsource.settings import Settings, SettingsError
from crowdsource.urls import Unreachable

# How long open requests and sockets may take to finish on SIGTERM (fly.toml waits longer).
GRACEFUL_SHUTDOWN_SECONDS = 10


def _port(value: str) -> int:
    port = int(value)
    if not 0 < port < 65536:
        raise argparse.ArgumentTypeError("a port is a number from 1 to 65535")
    return port


def _workers(value: str) -> int:
    workers = int(value)
    if workers < 1:
        raise argparse.ArgumentTypeError("at least one worker")
    return workers


WS_DEFLATE_ENV = "CROWDSOURCE_WS_DEFLATE"


def ws_deflate(environ: Mapping[str, str]) -> bool:
    """permessage-deflate on the sockets: off unless CROWDSOURCE_WS_DEFLATE=on.

    Off by default because fanning small fragments out costs more CPU and memory with it
    than the bytes it saves (docs/performance.md has the numbers)."""
    value = environ.get(WS_DEFLATE_ENV, "off").strip().lower()
    if value not in {"on", "off"}:
        raise SettingsError(f"{WS_DEFLATE_ENV} must be on or off, not {value!r}")
    return value == "on"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="crowdsource",
        description="Self-hosted real-time classroom polls.",
        epilog="Configuration comes from the environment (and a .env file): DATABASE_URL, "
        "REDIS_URL, SECRET_KEY, PUBLIC_URL, GITHUB_CLIENT_ID, GITHUB_CLIENT_SECRET, "
        "GUEST_SIGN_IN, DATA_DIR. See the README.",
    )
    parser.add_argument("--version", action="version", version=f"crowdsource {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    serve = commands.add_parser(
        "serve",
        help="start the web app (applies migrations on an empty database first)",
        description="Start Crowdsource with uvicorn. The schema is created or upgraded first.",
    )
    serve.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)"
    )
    serve.add_argument(
        "--port", type=_port, default=8000, help="TCP port to listen on (default: 8000)"
    )
    serve.add_argument(
        "--workers",
        type=_workers,
        default=1,
        help="worker processes (default: 1); more than one needs REDIS_URL so that every "
        "process sees every vote",
    )
    commands.add_parser(
        "migrate",
        help="apply database migrations and exit",
        description="Apply every pending migration to DATABASE_URL and exit.",
    )
    return parser


def port_in_use(host: str, port: int) -> bool:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            return error.errno == errno.EADDRINUSE
    return False


def fail(message: str) -> int:
    print(f"crowdsource: {message}", file=sys.stderr)
    return 2


async def prepare(settings: Settings, *, with_redis: bool) -> None:
    """Fail fast (`Unreachable`) when a configured service does not answer, then migrate."""
    await db.check_connection(settings.database_url)
    if with_redis and settings.redis_url:
        from crowdsource.realtime.redis_broker import check_redis

        await check_redis(settings.redis_url)
    await db.migrate(settings.database_url)


def serve(args: argparse.Namespace) -> int:
    import uvicorn

    try:
        settings = Settings.load(host=args.host, port=args.port)
        deflate = ws_deflate(os.environ)
    except SettingsError as error:
        return fail(str(error))
    if args.workers > 1 and not settings.redis_url:
        return fail(
            f"--workers {args.workers} needs REDIS_URL: without Redis each process would "
            "only see its own votes. Set REDIS_URL=redis://… or use --workers 1."
        )
    if port_in_use(args.host, args.port):
        return fail(f"{args.host}:{args.port} is already in use; choose another --port.")
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    # Workers read the same settings: fix the generated values for them.
    os.environ.setdefault("PUBLIC_URL", settings.public_url)
    try:
        asyncio.run(prepare(settings, with_redis=True))
    except Unreachable as error:
        return fail(str(error))
    print(f"Crowdsource is running on {settings.public_url}  (Ctrl+C to stop)", flush=True)
    uvicorn.run(
        "crowdsource.app:app_from_env",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        ws_per_message_deflate=deflate,
        proxy_headers=True,
        log_level=os.environ.get("LOG_LEVEL", "info").lower(),
        timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_SECONDS,
    )
    return 0


def migrate(args: argparse.Namespace) -> int:
    try:
        settings = Settings.load()
    except SettingsError as error:
        return fail(str(error))
    try:
        asyncio.run(prepare(settings, with_redis=False))
    except Unreachable as error:
        return fail(str(error))
    print("Database is up to date.")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    handler = {"serve": serve, "migrate": migrate}[args.command]
    try:
        return handler(args)
    except KeyboardInterrupt:
        return 130
