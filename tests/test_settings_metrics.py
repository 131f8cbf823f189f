"""METRICS_TOKEN: unset by default (loopback only), refused when guessable or unsendable."""

from __future__ import annotations

from pathlib import Path

import pytest

from crowdsource.settings import Settings, SettingsError

TOKEN = "0123456789abcdef0123456789abcdef"


def load(tmp_path: Path, **env: str) -> Settings:
    return Settings.load({"DATA_DIR": str(tmp_path), **env}, env_file=None)


def test_no_token_by_default(tmp_path: Path) -> None:
    assert load(tmp_path).metrics_token is None
    assert load(tmp_path, METRICS_TOKEN="  ").metrics_token is None


def test_a_long_token_is_kept_and_never_shown(tmp_path: Path) -> None:
    settings = load(tmp_path, METRICS_TOKEN=f" {TOKEN} ")
    assert settings.metrics_token == TOKEN
    assert TOKEN not in repr(settings)


@pytest.mark.parametrize(
    "bad", ["short", "x" * 15, "é" * 20, "tab\tinside-a-long-token", "a b" * 8]
)
def test_a_guessable_or_unsendable_token_is_refused(tmp_path: Path, bad: str) -> None:
    with pytest.raises(SettingsError, match="METRICS_TOKEN"):
        load(tmp_path, METRICS_TOKEN=bad)
