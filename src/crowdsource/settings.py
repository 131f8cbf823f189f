"""One frozen Settings object, read from the environment (and `.env`) once at start."""

from __future__ import annotations

import os
import secrets
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from starlette.config import Config, Environ

from crowdsource import setting_values as values
from crowdsource.i18n.languages import SHIPPED
from crowdsource.setting_values import SettingsError

MIN_SECRET_BYTES = 32
GENERATED_KEY_FILE = "secret_key"  # in DATA_DIR, mode 0600, when SECRET_KEY is unset
PRIVATE_FOLDER = 0o700  # DATA_DIR and the SQLite file's folder, when this process creates them
WEAK_SECRETS = frozenset({"changeme", "secret", "change-me", "development", "dev", "test"})
DATABASE_SCHEMES = ("sqlite", "postgres", "postgresql", "asyncpg")
REDIS_SCHEMES = ("redis", "rediss", "unix")
# Sockets one client address may hold open (in all processes, with REDIS_URL). A class of
# 300 behind one NAT, each with a phone and a laptop tab, is 600, plus the projector and the
# teacher's own pages; the rest is room for reloads and dropped sockets the server has not
# noticed yet (up to 40 s). Well under the 1,000 that let one address fill a small VM.
SOCKETS_PER_ADDRESS = 700
# uvicorn's names; "trace" shows every protocol event.
LOG_LEVELS = ("critical", "error", "warning", "info", "debug", "trace")


def writable_folder(path: Path, name: str, fix: str = "") -> Path:
    """Create `path` if needed and prove this process can write there (root included: a file
    in the way or a read-only disk fail too); `SettingsError` names the variable otherwise."""
    try:
        path.mkdir(mode=PRIVATE_FOLDER, parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=path):
            pass
    except OSError as error:
        if isinstance(error, FileExistsError | NotADirectoryError):
            reason = "a file is in the way"
        else:
            reason = error.strerror or type(error).__name__
        raise SettingsError(
            f"{name} needs a folder this user can write, and {str(path)!r} is not one "
            f"({reason}): {fix or f'set {name} to another folder'}"
        ) from None
    return path


def load_or_create_secret(data_dir: Path) -> str:
    """Return the secret kept in DATA_DIR, generating it (mode 0600) on first use."""
    path = data_dir / GENERATED_KEY_FILE
    if path.exists():
        try:
            return path.read_text().strip()
        except OSError as error:
            raise SettingsError(
                f"cannot read the secret kept in {str(path)!r} ({error.strerror}): let this "
                "user read it, or set SECRET_KEY"
            ) from None
    writable_folder(data_dir, "DATA_DIR")
    secret = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(secret + "\n")
    return secret


def check_secret(secret: str) -> str:
    if secret.lower() in WEAK_SECRETS or len(secret.encode()) < MIN_SECRET_BYTES:
        raise SettingsError(
            f"SECRET_KEY is too weak: use at least {MIN_SECRET_BYTES} random bytes "
            "(or leave it unset to have one generated in DATA_DIR)"
        )
    return secret


@dataclass(frozen=True)
class Settings:
    """Everything the app reads from its environment. Build with `Settings.load()`."""

    secret_key: str
    public_url: str
    data_dir: Path
    database_url: str
    redis_url: str | None = None
    redis_prefix: str = "crowdsource"
    github_client_id: str | None = None
    github_client_secret: str | None = None
    github_url: str = "https://github.com"
    github_api_url: str = "https://api.github.com"
    oidc_discovery_url: str | None = None
    oidc_client_id: str | None = None
    oidc_client_secret: str | None = None
    oidc_name: str = "OpenID Connect"
    guest_sign_in: bool = True
    embed_allowed_origins: tuple[str, ...] = ("*",)
    avatar_hosts: tuple[str, ...] = ()
    votes_per_second: float = 2.0
    sign_ins_per_minute: float = 600.0
    polls_per_minute: float = 30.0
    sockets_per_address: int = SOCKETS_PER_ADDRESS
    guests_per_poll_per_address: int = 400
    client_ip_header: str | None = None
    close_sweep_seconds: float = 15.0
    metrics_token: str | None = field(default=None, repr=False)
    languages: tuple[str, ...] = tuple(SHIPPED)  # offered, in the switcher's order
    default_language: str = "en"
    # Read by `crowdsource serve` for uvicorn (the app itself does not use them).
    log_level: str = "info"
    ws_deflate: bool = False
    forwarded_allow_ips: str = "127.0.0.1,::1"

    @property
    def public_origin(self) -> str:
        return values.origin(self.public_url)

    @property
    def secure_cookies(self) -> bool:
        return self.public_url.startswith("https://")

    @property
    def github_enabled(self) -> bool:
        return bool(self.github_client_id and self.github_client_secret)

    @property
    def oidc_enabled(self) -> bool:
        return bool(self.oidc_discovery_url and self.oidc_client_id and self.oidc_client_secret)

    @property
    def provider_sign_in(self) -> bool:
        """Some "Sign in with …" provider is configured."""
        return self.github_enabled or self.oidc_enabled

    @property
    def avatar_origins(self) -> tuple[str, ...]:
        """The only origins avatars load from: GitHub's (when it signs people in) and
        AVATAR_HOSTS. The sign-in replaces a picture from anywhere else with the initials
        avatar, and the Content-Security-Policy's img-src is this list."""
        github = values.github_avatar_origins(self.github_url) if self.github_enabled else ()
        return tuple(dict.fromkeys((*github, *self.avatar_hosts)))

    @classmethod
    def load(
        cls,
        environ: Mapping[str, str] | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 8000,
        env_file: str | Path | None = ".env",
    ) -> Settings:
        """Read settings; `environ` defaults to the process environment."""
        env = Environ(dict(os.environ if environ is None else environ))
        use_file = env_file if env_file and Path(env_file).is_file() else None
        config = Config(use_file, environ=env)

        data_dir = Path(config("DATA_DIR", default="./data")).expanduser()
        secret = config("SECRET_KEY", default=None) or load_or_create_secret(data_dir)
        github_id = config("GITHUB_CLIENT_ID", default=None) or None
        github_secret = config("GITHUB_CLIENT_SECRET", default=None) or None
        oidc = {
            "oidc_discovery_url": config("OIDC_DISCOVERY_URL", default=None) or None,
            "oidc_client_id": config("OIDC_CLIENT_ID", default=None) or None,
            "oidc_client_secret": config("OIDC_CLIENT_SECRET", default=None) or None,
        }
        provider_configured = bool(github_id and github_secret) or all(oidc.values())
        address = f"[{host}]" if ":" in host else host  # an IPv6 address is bracketed
        public_url = config("PUBLIC_URL", default=None) or f"http://{address}:{port}"
        embed_origins = config("EMBED_ALLOWED_ORIGINS", default="*")
        database_url = config("DATABASE_URL", default=None) or None
        log_level = config("LOG_LEVEL", default="").strip().lower() or "info"
        if log_level not in LOG_LEVELS:
            levels = ", ".join(LOG_LEVELS)
            raise SettingsError(f"LOG_LEVEL must be one of {levels}, not {log_level!r}")
        offered = values.languages(config("LANGUAGES", default=""))
        return cls(
            languages=offered,
            default_language=values.default_language(
                config("DEFAULT_LANGUAGE", default=""), offered
            ),
            secret_key=check_secret(secret),
            public_url=values.public_url(public_url),
            data_dir=data_dir,
            database_url=values.scheme_of("DATABASE_URL", database_url, DATABASE_SCHEMES)
            or f"sqlite://{data_dir / 'crowdsource.sqlite3'}",
            redis_url=values.scheme_of(
                "REDIS_URL", config("REDIS_URL", default=None) or None, REDIS_SCHEMES
            ),
            redis_prefix=values.redis_prefix(config("REDIS_PREFIX", default="")),
            github_client_id=github_id,
            github_client_secret=github_secret,
            github_url=config("GITHUB_URL", default="https://github.com").rstrip("/"),
            github_api_url=config("GITHUB_API_URL", default="https://api.github.com").rstrip("/"),
            **oidc,
            oidc_name=config("OIDC_NAME", default="").strip() or "OpenID Connect",
            guest_sign_in=values.flag(config, "GUEST_SIGN_IN", default=not provider_configured),
            embed_allowed_origins=tuple(embed_origins.split()),
            avatar_hosts=values.avatar_hosts(config("AVATAR_HOSTS", default="")),
            votes_per_second=values.positive(config, "VOTES_PER_SECOND", 2.0),
            sign_ins_per_minute=values.positive(config, "SIGN_INS_PER_MINUTE", 600.0),
            polls_per_minute=values.positive(config, "POLLS_PER_MINUTE", 30.0),
            sockets_per_address=int(
                values.positive(config, "SOCKETS_PER_ADDRESS", SOCKETS_PER_ADDRESS)
            ),
            guests_per_poll_per_address=int(
                values.positive(config, "GUESTS_PER_POLL_PER_ADDRESS", 400)
            ),
            client_ip_header=config("CLIENT_IP_HEADER", default="").strip().lower() or None,
            close_sweep_seconds=values.positive(config, "CLOSE_SWEEP_SECONDS", 15.0),
            metrics_token=values.metrics_token(config("METRICS_TOKEN", default="")),
            log_level=log_level,
            ws_deflate=values.flag(config, "CROWDSOURCE_WS_DEFLATE", default=False),
            forwarded_allow_ips=config("FORWARDED_ALLOW_IPS", default="").strip()
            or "127.0.0.1,::1",
        )
