"""`python -m bench.fanout`: run the fan-out benchmark (bench/fanout/__init__.py says what
it measures; --help lists the options)."""

from __future__ import annotations

import sys

import uvloop

from bench.fanout.cli import parse_args
from bench.fanout.run import main

if __name__ == "__main__":
    sys.exit(uvloop.run(main(parse_args())))
