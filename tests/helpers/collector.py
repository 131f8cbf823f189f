"""The garbage collector off for a test: an object that only a collection could free (one
kept alive by a reference cycle) then stays alive, and a weak reference to it says so."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest


@pytest.fixture
def collector_off() -> Iterator[None]:
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
