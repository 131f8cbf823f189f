"""The owner's #roster per vote at 1,000 members, in-process: bytes told to the owner, CPU
of the status (followed from the last one, as the publisher's kept roster does) and CPU of
the render and the frame.

    python -m bench.roster_push                            # this checkout
    python -m bench.roster_push --src /tmp/before/src      # an older tree (b5dc131 on)
    python -m bench.roster_push --newcomers                # voters on no socket here

No roster (everyone seen), 200 votes in turn, rows already rendered as the publisher keeps
them; an older RosterPush (no `render_delta`) renders the whole panel each vote, and a tree
without a kept roster builds each status whole.
`--newcomers`: each vote comes from someone the panel did not list yet (a student on
another process, a page without JavaScript), so it gains a row per vote."""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import datetime
from typing import Any

from bench.common.source import add_source_option, use_source
from bench.common.tallies import hand_tally

MEMBERS, VOTES = 1000, 200


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_source_option(parser)
    parser.add_argument(
        "--newcomers", action="store_true", help="each vote from someone not listed yet"
    )
    args = parser.parse_args()
    use_source(args.src)
    from crowdsource.domain.participation import MemberBook, _status
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
    answered = frozenset(range(0, MEMBERS, 7))  # some answered already
    seen = {user[0]: user for user in users[:MEMBERS]}  # on this process's sockets
    book = MemberBook()
    shown = _status([], seen.values(), answered, False, book)
    follow = kept_roster(shown, answered, seen)
    push.render(shown)  # the first push renders every row
    status_cpu, cpu, sizes = [], [], []
    for vote in range(VOTES):
        voter = MEMBERS + vote if args.newcomers else (vote * 13 + 1) % MEMBERS
        answered |= {voter}
        start = time.process_time()
        status = follow(answered, seen, tally_of([users[voter]]), book) if follow else None
        if status is None:
            listed = [*seen.values()] + [users[i] for i in sorted(answered) if i >= MEMBERS]
            status = _status([], listed, answered, False, book)
        status_cpu.append(time.process_time() - start)
        start = time.process_time()
        text = push.render_delta(shown, status) if delta else push.render(status)
        Frame(text)  # what is written to the owner's socket
        cpu.append(time.process_time() - start)
        sizes.append(len(text.encode()))
        shown = status
    print(
        f"{'delta' if delta else 'whole'}: {MEMBERS:,} members, {VOTES} votes"
        f"{' from newcomers' if args.newcomers else ''}; per vote, ms: "
        f"status median {statistics.median(status_cpu) * 1000:.2f}, "
        f"render + frame median {statistics.median(cpu) * 1000:.2f}; "
        f"bytes per vote: median {statistics.median(sizes):,.0f}, max {max(sizes):,}"
    )


def kept_roster(status: Any, answered: frozenset[int], seen: dict[int, Any]) -> Any:
    """The publisher's way to the next status (`KeptRoster.follow`), or None in a tree
    that builds each status whole."""
    try:
        from crowdsource.domain.kept_roster import KeptRoster
    except ImportError:
        return None
    kept = KeptRoster()
    kept.keep(status, answered, dict(seen))
    return kept.follow


def tally_of(voters: list[Any]) -> Any:
    """What the kept roster reads of a tally: its voters (the vote's, for a newcomer), the
    voters of its one response."""
    from crowdsource.domain.tally import Voter

    return hand_tally([("A", [Voter(*voter, datetime.min) for voter in voters])])


if __name__ == "__main__":
    main()
