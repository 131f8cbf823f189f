"""`crowdsource serve | migrate`.

What the CLI says is in the terminal's language (LC_ALL, LC_MESSAGES, LANG) when it is one of
the shipped ones. The help of `--help` stays English: argparse writes its own frame of it
("usage:", "options:", its errors) in English whatever the locale, the text names environment
variables and flags that are English anyway, and the README it points to is English. What a
setting or a service refuses (SettingsError, Unreachable) is an operator's error: English."""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sys
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from types import FrameType
from typing import Any

from crowdsource import __version__, file_modes, startup
from crowdsource import log_setup as logs
from crowdsource.domain import db
from crowdsource.domain.service_urls import Unreachable
from crowdsource.i18n.current import _, speaking
from crowdsource.i18n.languages import SHIPPED, SOURCE
from crowdsource.i18n.negotiation import from_accept_language
from crowdsource.interrupts import run_interruptibly
from crowdsource.settings import Settings, SettingsError, writable_folder

# How long open requests and sockets may take to finish on SIGTERM (fly.toml waits longer).
GRACEFUL_SHUTDOWN_SECONDS = 10

# The locale variables that name the language of messages, the first one set deciding (POSIX).
LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")

# What `serve --help` and `migrate --help` list; the README has each with an example.
ENVIRONMENT = (
    ("DATA_DIR", "folder of the SQLite file and the generated secret (./data)"),
    ("DATABASE_URL", "sqlite://FILE (DATA_DIR/crowdsource.sqlite3) or postgres://…"),
    ("PUBLIC_URL", "the address people type (http://HOST:PORT)"),
    ("SECRET_KEY", "signs sign-ins, sessions and forms (generated into DATA_DIR)"),
    ("REDIS_URL", "redis://…: several processes serve one poll (needed by --workers)"),
    ("REDIS_PREFIX", "first part of every Redis channel and key (crowdsource)"),
    ("GUEST_SIGN_IN", "on/off: join with a display name (on when no provider is set)"),
    ("GITHUB_CLIENT_ID, GITHUB_CLIENT_SECRET", '"Sign in with GitHub" (an OAuth app)'),
    ("GITHUB_URL, GITHUB_API_URL", "GitHub Enterprise Server instead of github.com"),
    (
        "OIDC_DISCOVERY_URL, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_NAME",
        "sign-in with an OpenID Connect provider",
    ),
    ("EMBED_ALLOWED_ORIGINS", "sites that may frame /polls/…/embed (*)"),
    ("AVATAR_HOSTS", "hosts that may serve sign-in pictures, besides GitHub's"),
    ("VOTES_PER_SECOND, SIGN_INS_PER_MINUTE", "rate limits per person / client address"),
    (
        "POLLS_PER_MINUTE, SOCKETS_PER_ADDRESS, GUESTS_PER_POLL_PER_ADDRESS",
        "rate limits per client address",
    ),
    ("CLOSE_SWEEP_SECONDS", "how often end times are re-read from the database (15)"),
    ("METRICS_TOKEN", "lets a scraper elsewhere read /metrics (Authorization: Bearer …)"),
    ("FORWARDED_ALLOW_IPS, CLIENT_IP_HEADER", "client addresses behind a proxy"),
    ("LANGUAGES", "languages offered, in order (all shipped: en es fr de pt-BR ar)"),
    ("DEFAULT_LANGUAGE", "language when a browser asks for none offered (en)"),
    ("LOG_LEVEL", "critical, error, warning, info (default), debug or trace"),
    ("CROWDSOURCE_WS_DEFLATE", "on/off: WebSocket compression (off)"),
)


def terminal_language(environ: Mapping[str, str] = os.environ) -> str:
    """The shipped language the locale names (`fr_FR.UTF-8` → fr, `pt_BR` → pt-BR, `de` →
    de); English for C, POSIX, none set, or a language not shipped."""
    for name in LOCALE_VARIABLES:
        value = environ.get(name, "")
        if value:
            tag = value.split(".")[0].split("@")[0].replace("_", "-")
            return from_accept_language(tag, tuple(SHIPPED)) or SOURCE
    return SOURCE


def environment_help() -> str:
    lines = ["environment (also read from a .env file in the current folder):"]
    for names, meaning in ENVIRONMENT:
        if len(names) <= 22:
            lines.append(f"  {names:<22}  {meaning}")
        else:
            lines += [f"  {names}", f"  {'':<22}  {meaning}"]
    lines += ["", "The README's Configuration section gives each one with an example."]
    return "\n".join(lines)


def _number(value: str, low: int, high: int, meaning: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = low - 1
    if not low <= number <= high:
        raise argparse.ArgumentTypeError(f"{meaning}, not {value!r}")
    return number


def _port(value: str) -> int:
    return _number(value, 1, 65535, "a port is a number from 1 to 65535")


def _workers(value: str) -> int:
    return _number(value, 1, sys.maxsize, "the number of worker processes is 1 or more")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="crowdsource",
        description="Self-hosted real-time classroom polls.",
        epilog="Start with `crowdsource serve` and open the address it prints.\n"
        "Configuration comes from environment variables (and a .env file):\n"
        "`crowdsource serve --help` lists them.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"crowdsource {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    serve = commands.add_parser(
        "serve",
        help="start the web app (creates the data folder, secret and schema when missing)",
        description="Start Crowdsource. On a fresh machine it creates DATA_DIR, a secret key\n"
        "and the database schema first; on an older database it applies new migrations.",
        epilog=environment_help(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    serve.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default: 127.0.0.1, this machine only; 0.0.0.0 for "
        "every network, then set PUBLIC_URL)",
    )
    serve.add_argument(
        "--port", type=_port, default=8000, help="TCP port to listen on (default: 8000)"
    )
    serve.add_argument(
        "--workers",
        type=_workers,
        default=1,
        metavar="N",
        help="worker processes (default: 1); more than one needs REDIS_URL so that every "
        "process sees every vote",
    )
    commands.add_parser(
        "migrate",
        help="apply database migrations and exit",
        description="Apply every pending migration to DATABASE_URL and exit (run it once per\n"
        "release when several machines share one database).",
        epilog=environment_help(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    return parser


def fail(message: str) -> int:
    print(f"crowdsource: {message}", file=sys.stderr)
    return 2


def load_settings(host: str = "127.0.0.1", port: int = 8000) -> Settings:
    """Settings, with DATA_DIR and a SQLite file's folder created and writable."""
    settings = Settings.load(host=host, port=port)
    writable_folder(settings.data_dir, "DATA_DIR")
    folder = db.sqlite_folder(settings.database_url)
    if folder is not None:
        writable_folder(folder, "DATABASE_URL", "point it at a file in another folder")
    return settings


async def _prepare(settings: Settings, *, with_redis: bool) -> None:
    await db.check_connection(settings.database_url)
    if with_redis and settings.redis_url:
        from crowdsource.realtime.broker.redis_connection import check_redis

        await check_redis(settings.redis_url)
    await db.migrate(settings.database_url)


def _quiet_about_lost_connections(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
    """A connection attempt cut short (Ctrl+C, a refusal) leaves the driver's futures with
    a ConnectionError nobody reads: that is not news, the one-line outcome says it all."""
    if not isinstance(context.get("exception"), ConnectionError):
        loop.default_exception_handler(context)


def prepare(settings: Settings, *, with_redis: bool) -> None:
    """Fail fast (`Unreachable`) when a configured service does not answer, then migrate.
    Ctrl+C meanwhile is one KeyboardInterrupt, whenever it comes (see `interrupts`)."""
    run_interruptibly(_prepare(settings, with_redis=with_redis), _quiet_about_lost_connections)


class Stop(BaseException):
    """SIGTERM, raised where the process is (after uvicorn's own graceful shutdown when it is
    serving), so that it ends like Ctrl+C: a line and exit status 0."""


def _stop(signum: int, frame: FrameType | None) -> None:
    raise Stop


@contextmanager
def stop_on_sigterm() -> Iterator[None]:
    previous = signal.signal(signal.SIGTERM, _stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def serve(args: argparse.Namespace) -> int:
    """Ctrl+C or SIGTERM, whenever it comes, ends with one line and status 0."""
    try:
        with stop_on_sigterm():
            refused = run_server(args)
    except (KeyboardInterrupt, Stop):
        refused = None
    if refused is not None:
        return refused
    if sys.stdout.isatty():
        print()  # after the terminal's "^C"
    print(_("Crowdsource stopped."), flush=True)
    return 0


def run_server(args: argparse.Namespace) -> int | None:
    """Check, migrate, print where to go, serve until stopped; the exit status of a refusal."""
    import uvicorn

    from crowdsource.web.http_protocol import UpgradingHttpProtocol
    from crowdsource.web.live_sockets import MAX_FRAME_BYTES
    from crowdsource.web.socket_protocol import BoundedWebSocketProtocol

    try:
        settings = load_settings(host=args.host, port=args.port)
    except SettingsError as error:
        return fail(str(error))
    if args.workers > 1 and not settings.redis_url:
        refusal = _(
            "--workers %(count)s needs REDIS_URL: without Redis each process would only see "
            "its own votes. Set REDIS_URL=redis://… or use --workers 1."
        )
        return fail(refusal % {"count": args.workers})
    problem = startup.listen_problem(args.host, args.port)
    if problem:
        return fail(problem)
    # Workers read the same settings: fix the generated values for them.
    os.environ.setdefault("PUBLIC_URL", settings.public_url)
    try:
        prepare(settings, with_redis=True)
    except Unreachable as error:
        return fail(str(error))
    print("\n".join(startup.banner(settings, args.workers)), flush=True)
    for warning in startup.warnings(settings):
        print(f"crowdsource: warning: {warning}", file=sys.stderr, flush=True)
    uvicorn.run(
        "crowdsource.app:app_from_env",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        http=UpgradingHttpProtocol,  # lets a socket go at its upgrade: no cycle left
        ws=BoundedWebSocketProtocol,  # refuses a message over ws_max_size as it arrives
        ws_max_size=MAX_FRAME_BYTES,
        ws_per_message_deflate=settings.ws_deflate,
        proxy_headers=False,  # the app applies them, knowing its peer (middleware/forwarded.py)
        forwarded_allow_ips=settings.forwarded_allow_ips,
        log_config=logs.log_config(settings.log_level),
        log_level=settings.log_level,
        access_log=False,  # web.middleware.access_log writes its own lines, with the time taken
        timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_SECONDS,
    )
    return None


def migrate(args: argparse.Namespace) -> int:
    try:
        settings = load_settings()
        prepare(settings, with_redis=False)
    except (SettingsError, Unreachable) as error:
        return fail(str(error))
    except KeyboardInterrupt:
        interrupted = _("interrupted; run `crowdsource migrate` again")
        print(f"crowdsource: {interrupted}", file=sys.stderr)
        return 130
    print(_("Database is up to date."))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return 2
    handler = {"serve": serve, "migrate": migrate}[args.command]
    file_modes.keep_new_files_private()  # DATA_DIR, the secret, SQLite and its WAL: private
    with speaking(terminal_language()):
        return handler(args)
