"""What one soak run is asked to do, and the limits it sets on the server."""

from __future__ import annotations

from dataclasses import dataclass

# Raised so that a crowd on one loopback address is not refused, but the vote limit stays
# low enough that its buckets are really kept and must be forgotten again.
LIMITS = {
    "SOCKETS_PER_ADDRESS": "100000",
    "SIGN_INS_PER_MINUTE": "100000",
    "POLLS_PER_MINUTE": "100000",
    "VOTES_PER_SECOND": "20",
}
MAX_ROUNDS = 10_000  # per worker, whatever --minutes says
ROUND_TIMEOUT = 60.0  # one poll's life, however slow the machine: then it is cut short
REQUEST_TIMEOUT = 15.0  # one connect, one HTTP request
SETTLE_TIMEOUT = 60.0  # after the load, how long the server may take to come back to rest


@dataclass(frozen=True)
class Sizes:
    minutes: float = 1.0
    rounds_at_once: int = 4  # polls alive at the same time
    sockets: int = 24  # per poll
    voters: int = 300  # guests minted; each round picks some of them
    sample_seconds: float = 10.0
    drop_share: float = 0.2  # sockets cut without a close frame
    stall_share: float = 0.1  # sockets that never read
    timed_share: float = 0.3  # polls created with an end time (a close timer)
