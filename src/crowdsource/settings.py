"""One frozen Settings object, read from the environment (and `.env`) once at start."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from starlette.config import Config, Environ

MIN_SECRET_BYTES = 32
WEAK_SECRETS = frozenset({"changeme", "secret", "change-me", "development", "dev", "test"})


class SettingsError(ValueError):
    """The configuration cannot be used; the message says why, in one line."""


def _flag(value: str | None, default: bool) -> bool:
    if value is None or value.strip() == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "on", "true", "yes"}:
        return True
    if lowered in {"0", "off", "false", "no"}:
        return False
    raise SettingsError(f"expected on/off, got {value!r}")


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


def load_or_create_secret(data_dir: Path) -> str:
    """Return the secret kept in DATA_DIR, generating it (mode 0600) on first use."""
    path = data_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
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
    client_ip_header: str | None = None
    close_sweep_seconds: float = 15.0

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
        public_url = config("PUBLIC_URL", default=None) or f"http://{host}:{port}"
        embed_origins = config("EMBED_ALLOWED_ORIGINS", default="*")
        return cls(
            secret_key=check_secret(secret),
            public_url=public_url.rstrip("/"),
            data_dir=data_dir,
            database_url=config(
                "DATABASE_URL", default=f"sqlite://{data_dir / 'crowdsource.sqlite3'}"
            ),
            redis_url=config("REDIS_URL", default=None) or None,
            github_client_id=github_id,
            github_client_secret=github_secret,
            github_url=config("GITHUB_URL", default="https://github.com").rstrip("/"),
            github_api_url=config("GITHUB_API_URL", default="https://api.github.com").rstrip("/"),
            **oidc,
            oidc_name=config("OIDC_NAME", default="").strip() or "OpenID Connect",
            guest_sign_in=_flag(
                config("GUEST_SIGN_IN", default=None), default=not provider_configured
            ),
            embed_allowed_origins=tuple(embed_origins.split()),
            votes_per_second=_positive(config, "VOTES_PER_SECOND", 2.0),
            sign_ins_per_minute=_positive(config, "SIGN_INS_PER_MINUTE", 600.0),
            polls_per_minute=_positive(config, "POLLS_PER_MINUTE", 30.0),
            sockets_per_address=int(_positive(config, "SOCKETS_PER_ADDRESS", 1000)),
            client_ip_header=config("CLIENT_IP_HEADER", default="").strip().lower() or None,
            close_sweep_seconds=_positive(config, "CLOSE_SWEEP_SECONDS", 15.0),
        )
