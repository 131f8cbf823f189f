"""python -m bench.publish_cost: see the package's docstring."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bench import SRC


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.publish_cost", description=__doc__)
    parser.add_argument("--sockets", type=int, default=300, help="viewers of the poll")
    parser.add_argument("--voters", type=int, default=30, help="votes stored before timing")
    parser.add_argument("--responses", type=int, default=4)
    parser.add_argument("--repeat", type=int, default=200, help="publishes timed per figure")
    parser.add_argument(
        "--src",
        type=Path,
        default=SRC,
        help="import Crowdsource from this source folder instead of the checkout's src/ "
        "(its templates/ beside it): a 'before' run; the database schema must be the same",
    )
    args = parser.parse_args()
    sys.path.insert(0, str(args.src.resolve()))  # before anything imports crowdsource
    from bench.publish_cost.run import run

    return run(args)


if __name__ == "__main__":
    raise SystemExit(main())
