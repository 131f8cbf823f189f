"""`python -m bench.soak`: exits 1 when something did not come back to its floor."""

from __future__ import annotations

import asyncio
import sys

from bench.soak.cli import parse_args
from bench.soak.run import main

if __name__ == "__main__":
    sys.exit(asyncio.run(main(parse_args())))
