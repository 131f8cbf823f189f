"""The owner's #roster per vote at 1,000 members, in-process: bytes told to the owner and
CPU of the render and the frame (the status is the same before and after and not counted).

    python -m bench.roster_push                            # this checkout
    python -m bench.roster_push --src /tmp/perf-mid/src    # an older live layer
    python -m bench.roster_push --newcomers                # voters on no socket here

No roster (everyone seen), 200 votes in turn, rows already rendered as the publisher keeps
them; an older RosterPush (no `render_delta`) renders the whole panel each vote.
`--newcomers`: each vote comes from someone the panel did not list yet (a student on
another process, a page without JavaScript), so it gains a row per vote."""

from __future__ import annotations

import argparse
import statistics
import time

from bench.common.source import add_source_option, use_source

MEMBERS, VOTES = 1000, 200


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_source_option(parser)
    parser.add_argument(
        "--newcomers", action="store_true", help="each vote from someone not listed yet"
    )
    args = parser.parse_args()
    use_source(args.src)
    from crowdsource.domain.participation import _status
    from crowdsource.realtime.fragments import Fragments
    from crowdsource.realtime.frames import Frame
    from crowdsource.realtime.roster_push import RosterPush
    from crowdsource.web.templating import render_fragment

    users = [
        (i, f"student-{i:04d}", f"Student {i}", f"https://avatars.githubusercontent.com/u/{i}?v=4")
        for i in range(MEMBERS + VOTES)
    ]
    push = RosterPush(Fragments(render_fragment))
    delta = hasattr(push, "render_delta")
    answered = set(range(0, MEMBERS, 7))  # some answered already
    seen = users[:MEMBERS]  # on this process's sockets
    shown = _status([], seen, answered, False)
    push.render(shown)  # the first push renders every row
    cpu, sizes = [], []
    for vote in range(VOTES):
        voter = MEMBERS + vote if args.newcomers else (vote * 13 + 1) % MEMBERS
        answered.add(voter)
        listed = seen + [users[i] for i in sorted(answered) if i >= MEMBERS]
        status = _status([], listed, answered, False)
        start = time.process_time()
        text = push.render_delta(shown, status) if delta else push.render(status)
        Frame(text)  # what is written to the owner's socket
        cpu.append(time.process_time() - start)
        sizes.append(len(text.encode()))
        shown = status
    print(
        f"{'delta' if delta else 'whole'}: {MEMBERS:,} members, {VOTES} votes"
        f"{' from newcomers' if args.newcomers else ''}; render + frame per vote, ms: "
        f"median {statistics.median(cpu) * 1000:.2f}; "
        f"bytes per vote: median {statistics.median(sizes):,.0f}, max {max(sizes):,}"
    )


if __name__ == "__main__":
    main()
