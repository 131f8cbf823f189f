"""The soak's server: `crowdsource serve` itself, with the probe route and a garbage
collection policy added to the app it builds. Run as

    python -m bench.soak.server --gc POLICY serve --host 127.0.0.1 --port N

With one worker, uvicorn calls `crowdsource.app:app_from_env` in this process, so replacing
that factory here changes nothing else of the server."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from starlette.applications import Starlette

import bench  # noqa: F401  (puts this checkout's src/ first)
from bench.soak.gc_policies import POLICIES
from bench.soak.probe import Pauses, add_probe
from crowdsource import app as app_module
from crowdsource import cli


def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.soak.server")
    parser.add_argument("--gc", choices=sorted(POLICIES), default="app")
    args, serve_args = parser.parse_known_args(argv)
    build = app_module.app_from_env
    pauses = Pauses()

    def probed_app() -> Starlette:
        app = build()
        POLICIES[args.gc]()
        pauses.install()
        add_probe(app, pauses)
        return app

    app_module.app_from_env = probed_app  # type: ignore[assignment]
    return cli.main(serve_args)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
