"""The soak's command line."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from bench import soak
from bench.common.run_setup import sizes_from_args
from bench.soak.gc_policies import POLICIES
from bench.soak.options import Sizes


def sizes_from(args: argparse.Namespace) -> Sizes:
    sizes = sizes_from_args(Sizes(), args)
    if sizes.minutes <= 0 or sizes.rounds_at_once < 1 or sizes.sockets < 2:
        raise SystemExit("--minutes must be positive, --rounds-at-once 1 or more, --sockets 2+")
    return sizes


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.soak", description=soak.__doc__.split("\n\n")[0]
    )
    parser.add_argument("--minutes", type=float, help="how long the load runs (1)")
    parser.add_argument("--rounds-at-once", type=int, help="polls alive at once (4)")
    parser.add_argument("--sockets", type=int, help="sockets per poll (24)")
    parser.add_argument("--sample-seconds", type=float, help="seconds between rows (10)")
    parser.add_argument(
        "--gc", choices=sorted(POLICIES), default="app", help="garbage collection policy (app)"
    )
    parser.add_argument("--seed", type=int, default=19)
    parser.add_argument("--keep", action="store_true", help="keep the work folder (server log)")
    parser.add_argument("--json", type=Path, help="also write the samples to this file")
    return parser.parse_args(argv)
