"""Fixtures of the GitHub sign-in route tests: a fake GitHub and apps configured for it."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from starlette.testclient import TestClient

from tests.helpers.fake_github import SETTINGS, FakeGitHub


@pytest.fixture
def github() -> FakeGitHub:
    return FakeGitHub()


@pytest.fixture
def app_factory(
    app_client_factory: Callable[..., TestClient], github: FakeGitHub
) -> Callable[..., TestClient]:
    """A client of an app configured for the fake GitHub; `overrides` change its settings."""
    return lambda **overrides: app_client_factory(github.transport, **{**SETTINGS, **overrides})


@pytest.fixture
def client(app_factory: Callable[..., TestClient]) -> TestClient:
    """The app configured for the fake GitHub, in place of tests/conftest.py's `client`."""
    return app_factory()
