"""What one fan-out run is asked to do: its sizes, the servers under test and every option."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

Figures = dict[str, Any]


@dataclass(frozen=True)
class Sizes:
    viewers: int = 1000
    rate: float = 20.0
    seconds: float = 10.0
    warm: int = 10
    burst_viewers: int = 1000
    burst_voters: int = 1000
    crowd_viewers: int = 3000
    crowd_voters: int = 1000
    room_students: int = 1000
    room_launches: int = 10
    school_rooms: int = 100
    school_students: int = 50
    school_seconds: float = 10.0

    @property
    def steady_votes(self) -> int:
        return round(self.rate * self.seconds)

    @property
    def users(self) -> int:
        """Signed-in viewers, plus one more for the probe socket."""
        school = self.school_rooms * self.school_students
        return (
            max(self.viewers, self.burst_viewers, self.crowd_viewers, self.room_students, school)
            + 1
        )


QUICK = Sizes(
    viewers=100,
    seconds=2,
    burst_viewers=100,
    burst_voters=100,
    crowd_viewers=200,
    crowd_voters=100,
    room_students=100,
    room_launches=3,
    school_rooms=10,
    school_students=10,
    school_seconds=2,
)


@dataclass(frozen=True)
class Target:
    """One server under test: Crowdsource or the naive floor, with or without deflate."""

    app: bool
    deflate: bool

    @property
    def name(self) -> str:
        return ("crowdsource" if self.app else "naive") + ("+deflate" if self.deflate else "")


@dataclass
class Options:
    sizes: Sizes
    workdir: Path
    secret: str
    cookies: list[str]
    show_voters: str
    naive_max_messages: int
    timeout: float
    profile: bool
    src: Path
    stages: frozenset[str]
    database_url: str  # every Crowdsource process's, every stage's
    processes: int = 1
    votes_on: str = "a"
    port: int = 0  # of the first server of every stage, so the minted tokens' issuer is its own
    kind: str = "single"  # the poll's kind: `multiple` votes pick two responses; `text` answers
    roster: bool = False  # voters are GitHub users; the room stage's room lists its students
    database_pid: int | None = None  # a PostgreSQL server's: it and its backends are measured
