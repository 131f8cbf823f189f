"""The load test's command line: its options, and the sizes they ask for."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from bench import SRC, load
from bench.common.run_setup import sizes_from_args
from bench.load.options import QUICK, Sizes


def sizes_from(args: argparse.Namespace) -> Sizes:
    sizes = sizes_from_args(QUICK if args.quick else Sizes(), args)
    if sizes.viewers < 1 or sizes.voters < 1 or sizes.votes < 1 or sizes.seconds <= 0:
        raise SystemExit("--viewers, --voters, --votes and --seconds must be positive")
    if not (0 <= sizes.form_share <= 1 and 0 <= sizes.burst <= 1 and 0 < sizes.restart_at < 1):
        raise SystemExit("--form-share and --burst are shares (0 to 1), --restart-at in (0, 1)")
    return sizes


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.load", description=load.__doc__.split("\n\n")[0]
    )
    parser.add_argument("--quick", action="store_true", help="100 viewers and 100 voters for 15 s")
    parser.add_argument("--viewers", type=int, help="signed-out pages watching (1000)")
    parser.add_argument("--voters", type=int, help="guests who vote (1000)")
    parser.add_argument("--form-share", type=float, help="share of voters using the form (0.2)")
    parser.add_argument("--votes", type=int, help="votes per voter: a vote, then changes (3)")
    parser.add_argument("--seconds", type=float, help="how long voting is spread over (60)")
    parser.add_argument(
        "--restart-at", type=float, help="when to restart, share of --seconds (0.5)"
    )
    parser.add_argument("--burst", type=float, help="share voting just before SIGTERM (0.25)")
    parser.add_argument("--show-voters", choices=["owner", "everyone"], default="owner")
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument(
        "--src",
        type=Path,
        default=SRC,
        help="serve the crowdsource package from this folder (another checkout's src)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the work folder (server log)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    return parser.parse_args(argv)
