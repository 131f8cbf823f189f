"""`python -m bench.load`: run the load test with a restart (bench/load/__init__.py says
what it does; --help lists the options). Exits 1 when a check fails."""

from __future__ import annotations

import sys

import uvloop

from bench.load.cli import parse_args
from bench.load.run import main

if __name__ == "__main__":
    sys.exit(uvloop.run(main(parse_args())))
