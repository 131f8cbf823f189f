"""python -m bench.vote_cost: see the package's docstring."""

from __future__ import annotations

import argparse

from bench.common.source import run_package


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.vote_cost", description=__doc__)
    parser.add_argument("--voters", type=int, default=500, help="ballots timed one at a time")
    parser.add_argument("--batch", type=int, default=50, help="ballots per burst transaction")
    parser.add_argument(
        "--database-url", help="a PostgreSQL database to use instead of a fresh SQLite file"
    )
    parser.add_argument(
        "--roster",
        action="store_true",
        help="the room has a roster listing every voter: each ballot is judged against it",
    )
    return run_package(parser, "bench.vote_cost")


if __name__ == "__main__":
    raise SystemExit(main())
