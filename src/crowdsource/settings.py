"""One frozen Settings object, read from the environment (and `.env`) once at start."""

from __future__ import annotations

import os
import secrets
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from starlette.config import Config, Environ

from crowdsource.domain.service_urls import masked_url

MIN_SECRET_BYTES = 32
WEAK_SECRETS = frozenset({"changeme", "secret", "change-me", "development", "dev", "test"})
DATABASE_SCHEMES = ("sqlite", "postgres", "postgresql", "asyncpg")
REDIS_SCHEMES = ("redis", "rediss", "unix")
# uvicorn's names; "trace" shows every protocol event.
LOG_LEVELS = ("critical", "error", "warning", "info", "debug", "trace")


class SettingsError(ValueError):
    """The configuration cannot be used; the message says why, in one line."""


def _flag(config: Config, name: str, default: bool) -> bool:
    value = config(name, default=None)
    if value is None or value.strip() == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "on", "true", "yes"}:
        return True
    if lowered in {"0", "off", "false", "no"}:
        return False
    raise SettingsError(f"{name} must be on or off, not {value!r}")


def _positive(config: Config, name: str, default: float) -> float:
    raw = config(name, default=None)
    if raw is None or not str(raw).strip():
        return default
    try:
        value = float(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a number, got {raw!r}") from None
    if value <= 0:
        raise SettingsError(f"{name} must be more than 0, got {raw!r}")
    return value


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _public_url(raw: str) -> str:
    """PUBLIC_URL is an origin: what people type, without a path (routes live at `/`)."""
    url = raw.strip().rstrip("/")
    parts = urlsplit(url)
    if (
        parts.scheme not in {"http", "https"}
        or not parts.hostname
        or parts.path
        or parts.query
        or parts.fragment
        or "@" in parts.netloc
    ):
        raise SettingsError(
            f"PUBLIC_URL must be the address people type, scheme and host only, like "
            f"https://polls.example.edu or http://127.0.0.1:8000, not {raw!r}"
        )
    return url


def _scheme_of(name: str, url: str | None, schemes: tuple[str, ...]) -> str | None:
    """Refuse a URL whose scheme this app cannot use, before anything tries to connect."""
    if url is None:
        return None
    scheme = urlsplit(url).scheme if "://" in url else ""
    if scheme not in schemes:
        choices = ", ".join(f"{choice}://" for choice in schemes)
        raise SettingsError(f"{name} must start with one of {choices}, not {masked_url(url)!r}")
    return url


def writable_folder(path: Path, name: str, fix: str = "") -> Path:
    """Create `path` if needed and prove this process can write there (root included: a file
    in the way or a read-only disk fail too); `SettingsError` names the variable otherwise."""
    try:
        path.mkdir(parents=True, exist_ok=True)
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
    path = data_dir / "secret_key"
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
    votes_per_second: float = 2.0
    sign_ins_per_minute: float = 600.0
    polls_per_minute: float = 30.0
    sockets_per_address: int = 1000
    guests_per_poll_per_address: int = 400
    client_ip_header: str | None = None
    close_sweep_seconds: float = 15.0
    # Read by `crowdsource serve` for uvicorn (the app itself does not use them).
    log_level: str = "info"
    ws_deflate: bool = False
    forwarded_allow_ips: str = "127.0.0.1,::1"

    @property
    def public_origin(self) -> str:
        return _origin(self.public_url)

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
        """Plain-http origins that may serve avatars (https ones are allowed anyway)."""
        origins = [self.github_url, self.github_api_url] if self.github_enabled else []
        return tuple(dict.fromkeys(_origin(url) for url in origins if url.startswith("http://")))

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
        return cls(
            secret_key=check_secret(secret),
            public_url=_public_url(public_url),
            data_dir=data_dir,
            database_url=_scheme_of("DATABASE_URL", database_url, DATABASE_SCHEMES)
            or f"sqlite://{data_dir / 'crowdsource.sqlite3'}",
            redis_url=_scheme_of(
                "REDIS_URL", config("REDIS_URL", default=None) or None, REDIS_SCHEMES
            ),
            github_client_id=github_id,
            github_client_secret=github_secret,
            github_url=config("GITHUB_URL", default="https://github.com").rstrip("/"),
            github_api_url=config("GITHUB_API_URL", default="https://api.github.com").rstrip("/"),
            **oidc,
            oidc_name=config("OIDC_NAME", default="").strip() or "OpenID Connect",
            guest_sign_in=_flag(config, "GUEST_SIGN_IN", default=not provider_configured),
            embed_allowed_origins=tuple(embed_origins.split()),
            votes_per_second=_positive(config, "VOTES_PER_SECOND", 2.0),
            sign_ins_per_minute=_positive(config, "SIGN_INS_PER_MINUTE", 600.0),
            polls_per_minute=_positive(config, "POLLS_PER_MINUTE", 30.0),
            sockets_per_address=int(_positive(config, "SOCKETS_PER_ADDRESS", 1000)),
            guests_per_poll_per_address=int(_positive(config, "GUESTS_PER_POLL_PER_ADDRESS", 400)),
            client_ip_header=config("CLIENT_IP_HEADER", default="").strip().lower() or None,
            close_sweep_seconds=_positive(config, "CLOSE_SWEEP_SECONDS", 15.0),
            log_level=log_level,
            ws_deflate=_flag(config, "CROWDSOURCE_WS_DEFLATE", default=False),
            forwarded_allow_ips=config("FORWARDED_ALLOW_IPS", default="").strip()
            or "127.0.0.1,::1",
        )
