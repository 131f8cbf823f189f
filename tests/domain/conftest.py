"""Fixtures of the domain tests."""

from __future__ import annotations

import pytest

from crowdsource.domain.polls import PollCommands
from tests.helpers.announcer import recorded_commands


@pytest.fixture
def polls() -> PollCommands:
    """Poll commands whose announcements are recorded, not sent."""
    commands, _, _ = recorded_commands()
    return commands
