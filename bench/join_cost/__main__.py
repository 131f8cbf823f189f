"""`python -m bench.join_cost [--calls N] [--src DIR]`: CPU µs per call of what each socket's
join does besides uvicorn's handshake, for this checkout's `crowdsource` or another tree's
(`--src /tmp/perf-mid/src`: "before")."""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable, Sequence
from types import SimpleNamespace
from typing import Any

from bench.common.source import add_source_option, use_source

SECRET = "a-bench-secret-" + "x" * 49
ISSUER = "http://127.0.0.1:8000"
ROUNDS = 5


def cpu_us(work: Callable[[Any], object], items: Sequence[Any]) -> float:
    """CPU µs per call of `work` over `items` (process time, so other processes' load is
    not counted)."""
    start = time.process_time()
    for item in items:
        work(item)
    return 1e6 * (time.process_time() - start) / len(items)


def tokens(count: int, first_id: int) -> list[str]:
    from crowdsource.auth.tokens import issue_token
    from crowdsource.domain.models import User

    users = [
        User(id=n, login=f"guest~student-{n}", name=f"Student {n}", avatar_url="/avatars/ab.svg")
        for n in range(first_id, first_id + count)
    ]
    return [issue_token(user, SECRET, ISSUER) for user in users]


def connection(n: int, seeded: bool = True) -> SimpleNamespace:
    """What `csrf_token` reads of a socket: its session (with its page's seed, or none) and
    its user."""
    user = SimpleNamespace(user=SimpleNamespace(id=n))
    session = {"csrf_seed": f"seed-{n:016d}"} if seeded else {}
    return SimpleNamespace(session=session, user=user)


def measure(calls: int) -> dict[str, list[float]]:
    from crowdsource.auth import csrf
    from crowdsource.auth.csrf import csrf_token
    from crowdsource.auth.tokens import read_token

    figures: dict[str, list[float]] = {"token, first sight": [], "token, seen before": []}
    figures["CSRF token"] = []
    figures["socket CSRF, no seed"] = []  # a socket opened without its page (the fan-out's)
    # An older tree (`--src`) had sockets sign a fresh seed with `csrf_token`.
    socket_token = getattr(csrf, "socket_csrf_token", csrf_token)
    for round_ in range(ROUNDS):
        fresh = tokens(calls, 1 + round_ * calls)
        figures["token, first sight"].append(cpu_us(lambda t: read_token(t, SECRET, ISSUER), fresh))
        figures["token, seen before"].append(
            cpu_us(lambda t: read_token(t, SECRET, ISSUER), fresh[-500:] * (calls // 500 or 1))
        )
        conns = [connection(n) for n in range(calls)]
        figures["CSRF token"].append(cpu_us(lambda c: csrf_token(c, SECRET), conns))
        bare = [connection(n, seeded=False) for n in range(calls)]
        figures["socket CSRF, no seed"].append(cpu_us(lambda c: socket_token(c, SECRET), bare))
    return figures


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.join_cost", description=__doc__)
    parser.add_argument("--calls", type=int, default=3000, help="calls per round (5 rounds)")
    add_source_option(parser)
    options = parser.parse_args(argv)
    use_source(options.src)
    import crowdsource

    print(f"crowdsource from {crowdsource.__file__}")
    print(f"{'CPU µs per call':<24}{'median':>8}   rounds")
    for name, runs in measure(options.calls).items():
        listed = ", ".join(f"{run:.1f}" for run in runs)
        print(f"{name:<24}{statistics.median(runs):>8.1f}   {listed}")


if __name__ == "__main__":
    main()
