"""python -m bench.publish_cost: see the package's docstring."""

from __future__ import annotations

import argparse

from bench.common.source import run_package


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.publish_cost", description=__doc__)
    parser.add_argument("--sockets", type=int, default=300, help="viewers of the poll")
    parser.add_argument("--voters", type=int, default=30, help="votes stored before timing")
    parser.add_argument("--responses", type=int, default=4)
    parser.add_argument("--repeat", type=int, default=200, help="publishes timed per figure")
    parser.add_argument(
        "--news",
        choices=("named", "unnamed"),
        default="named",
        help="each vote's news names its voter, so only that ballot is read (default), or "
        "not, so every ballot is (a tree without named news always reads every ballot)",
    )
    parser.add_argument(
        "--owner",
        choices=("away", "seen", "roster"),
        default="away",
        help="the poll's owner has its page open (its #roster told with each publish): "
        "who should answer being everyone seen (seen), or a room's roster listing every "
        "student (roster: the poll is a question of that room); away: nobody's roster",
    )
    parser.add_argument(
        "--voters-are",
        choices=("away", "watching"),
        default="away",
        help="who casts the timed votes to many sockets: students with no socket open "
        "(away, the default), or students watching an after_vote poll, shown the results "
        "by their vote (watching)",
    )
    parser.add_argument(
        "--votes",
        choices=("new", "changed"),
        default="new",
        help="the timed votes are first votes (new, the default), or votes changed: "
        "students who had voted pick another response (their ballot replaced)",
    )
    return run_package(parser, "bench.publish_cost")


if __name__ == "__main__":
    raise SystemExit(main())
