"""A room's vote as its two pushed updates cost in templates, in-process: the students'
update and the projector's (its hidden results table and the new voter's avatar besides),
for a room of 50 voting one by one on three responses.

    python -m bench.update_render                               # this checkout
    python -m bench.update_render --src /tmp/before/src         # an older tree (eb1f2f6 on)
    python -m bench.update_render --against /tmp/before/src     # both, taking turns

CPU µs per publish over many short rounds: the minimum, the lower quartile and the median;
then each update on its own. This machine's speed drifts by up to half from one process to
the next, so `--against` runs this checkout and the other tree in turn (`--turns` of each,
each a process of its own) and gives each tree's median and best of its turns' minimums.
The tallies are made before the clock starts; each publish renders its rows afresh (a new
tally), as a vote does, and the projector's rows are its own (it shows avatars)."""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.common.source import add_source_option, use_source
from bench.common.tallies import hand_tally

STUDENTS = 50
RESPONSES = ("Old hat", "Getting there", "Lost me")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_source_option(parser)
    parser.add_argument("--rounds", type=int, default=40, help="rounds timed (40)")
    parser.add_argument("--publishes", type=int, default=100, help="publishes a round (100)")
    parser.add_argument("--against", type=Path, help="another tree's src/, run in turn with this")
    parser.add_argument("--turns", type=int, default=6, help="with --against: turns of each (6)")
    parser.add_argument("--json", action="store_true", help="print only each minimum, as JSON")
    args = parser.parse_args()
    if args.against is not None:
        take_turns(args)
        return
    use_source(args.src)
    import crowdsource
    from crowdsource.domain.visibility import Audience
    from crowdsource.realtime.fragments import PAGE, ROOM, Fragments
    from crowdsource.web.templating import render_fragment

    tallies = [room_tally(votes) for votes in range(STUDENTS + 1)]
    students, projector = Audience(True, False), Audience(True, True, True)
    both = ((students, PAGE), (projector, ROOM))
    updates = {
        "a publish: the students' update and the projector's": both,
        "the students' update alone": both[:1],
        "the projector's update alone": both[1:],
    }
    if not args.json:
        print(f"crowdsource from {crowdsource.__path__[0]}")
        print(f"{args.rounds} rounds of {args.publishes} publishes, a room of {STUDENTS} voting")
        print("| CPU µs per publish | min | p25 | median |\n|---|---|---|---|")
    lowest = {}
    for name, audiences in updates.items():

        def publish(fragments: Any, n: int, audiences: Any = audiences) -> None:
            before, after = tallies[n % STUDENTS], tallies[n % STUDENTS + 1]
            for audience, surface in audiences:
                fragments.delta(before, after, audience, surface)

        timed = rounds(lambda: Fragments(render_fragment), publish, args.rounds, args.publishes)
        low = lowest[name] = min(timed)
        quarter = statistics.quantiles(timed, n=4)[0] if len(timed) > 1 else low
        if not args.json:
            print(f"| {name} | {low:.0f} | {quarter:.0f} | {statistics.median(timed):.0f} |")
    if args.json:
        print(json.dumps(lowest))


def take_turns(args: argparse.Namespace) -> None:
    """This checkout and `args.against`, each in its own process, in turn."""
    trees = {"this checkout": args.src, str(args.against): args.against}
    found: dict[str, list[dict[str, float]]] = {tree: [] for tree in trees}
    for _ in range(args.turns):
        for tree, src in trees.items():
            command = [sys.executable, "-m", "bench.update_render", "--json", "--src", str(src)]
            command += ["--rounds", str(args.rounds), "--publishes", str(args.publishes)]
            done = subprocess.run(command, check=True, capture_output=True, text=True)
            found[tree].append(json.loads(done.stdout.splitlines()[-1]))
    print(f"{args.turns} turns of each tree, each the minimum of {args.rounds} rounds")
    print("| CPU µs per publish, median (best) of the turns | " + " | ".join(trees) + " |")
    print("|---|" + "---|" * len(trees))
    for name in found["this checkout"][0]:
        cells = []
        for turns in found.values():
            values = [turn[name] for turn in turns]
            cells.append(f"{statistics.median(values):.0f} ({min(values):.0f})")
        print(f"| {name} | " + " | ".join(cells) + " |")


def room_tally(votes: int) -> Any:
    """The room's question after its first `votes` votes, one student after another over
    the responses in turn (signed in with GitHub: pictures, no guest mark)."""
    from crowdsource.domain.tally import UNTIMED, Voter

    students = [
        Voter(n, f"student-{n:04d}", f"Student {n}", f"https://avatars.example/u/{n}", UNTIMED)
        for n in range(votes)
    ]
    step = len(RESPONSES)
    return hand_tally([(label, students[n::step]) for n, label in enumerate(RESPONSES)])


def rounds(
    made: Callable[[], Any], publish: Callable[[Any, int], None], count: int, per_round: int
) -> list[float]:
    """CPU µs per publish in each of `count` rounds of `per_round`, after one to warm up;
    each round renders with a new `Fragments` (nothing carried from the round before)."""
    timed = []
    for round_number in range(count + 1):
        fragments = made()
        start = time.process_time()
        for n in range(per_round):
            publish(fragments, n)
        if round_number:
            timed.append((time.process_time() - start) / per_round * 1e6)
    return timed


if __name__ == "__main__":
    main()
