"""The `--src` option of the in-process benchmarks: time another tree's `crowdsource` (a
"before" copy of src/, its templates/ beside it) instead of this checkout's."""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

from bench import SRC


def add_source_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--src",
        type=Path,
        default=SRC,
        help="import Crowdsource from this source folder instead of the checkout's src/ "
        "(its templates/ beside it): a 'before' run; the database schema must be the same",
    )


def use_source(src: Path) -> None:
    """Import `crowdsource` from `src` from now on: call before anything imports it."""
    sys.path.insert(0, str(src.resolve()))


def run_package(parser: argparse.ArgumentParser, package: str) -> int:
    """Parse the arguments (with `--src`), import `crowdsource` from that folder, then run
    the benchmark: `<package>.run.run(args)`."""
    add_source_option(parser)
    args = parser.parse_args()
    use_source(args.src)
    return int(importlib.import_module(f"{package}.run").run(args))
