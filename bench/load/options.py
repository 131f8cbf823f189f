"""What one load run is asked to do: its sizes, and the rate limits it lifts."""

from __future__ import annotations

from dataclasses import dataclass

# Far above this load, so that nothing is refused for going too fast (the defaults are
# 2 votes/s per user, 600 sign-ins a minute per address, 1,000 sockets per address,
# 400 guests per poll per address an hour).
LIMITS = {
    "VOTES_PER_SECOND": "1000",
    "SIGN_INS_PER_MINUTE": "100000",
    "POLLS_PER_MINUTE": "1000",
    "SOCKETS_PER_ADDRESS": "100000",
    "GUESTS_PER_POLL_PER_ADDRESS": "100000",
}
OPEN_PARALLEL = 50
FINISH_GRACE = 240.0  # voting time may run over by this much before unfinished voters count


@dataclass(frozen=True)
class Sizes:
    viewers: int = 1000
    voters: int = 1000
    form_share: float = 0.2
    votes: int = 3  # per voter: one vote, then changes of mind
    seconds: float = 60.0
    restart_at: float = 0.5  # share of `seconds`
    burst: float = 0.25  # share of voters who vote in the 0.1 s before the restart

    @property
    def restart_s(self) -> float:
        return self.seconds * self.restart_at

    @property
    def form_voters(self) -> int:
        return round(self.voters * self.form_share)


QUICK = Sizes(viewers=100, voters=100, seconds=15.0)
