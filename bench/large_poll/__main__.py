"""python -m bench.large_poll: see the package's docstring."""

from __future__ import annotations

import argparse

from bench.common.source import run_package


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.large_poll", description=__doc__)
    parser.add_argument("--votes", type=int, default=20_000)
    parser.add_argument("--responses", type=int, default=4)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument(
        "--database-url", help="a fresh PostgreSQL database to use instead of a new SQLite file"
    )
    return run_package(parser, "bench.large_poll")


if __name__ == "__main__":
    raise SystemExit(main())
