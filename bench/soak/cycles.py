"""`--gc cycles`: which objects form reference cycles under the soak's load, the ones only a
garbage collection can free. The server keeps whatever a collection finds unreachable
(`gc.DEBUG_SAVEALL`: nothing is freed, so its memory figures mean nothing) and, when it
stops, groups those objects into cycles (the strongly connected components of the references
among them) and writes each kind of cycle, with how many formed, to its log as lines that
start with `PREFIX`; the soak prints them. How the cycles behind a closed socket were found
(docs/performance.md, "Garbage collection")."""

from __future__ import annotations

import atexit
import gc
import sys
from collections import Counter

PREFIX = "cycles:"
PLAIN = ("builtins.", "collections.deque")  # containers and closures: named by what they hold
SHOWN = 25  # kinds of cycle printed


def type_name(thing: object) -> str:
    kind = type(thing)
    name = f"{kind.__module__}.{kind.__qualname__}"
    if kind.__name__ in ("function", "method"):
        return f"{name}:{getattr(thing, '__qualname__', '?')}"
    if kind.__name__ == "cell":
        try:
            return f"{name}->{type(thing.cell_contents).__qualname__}"  # type: ignore[attr-defined]
        except ValueError:  # an empty cell
            return name
    return name


def cycles(things: list[object]) -> list[list[int]]:
    """Tarjan's strongly connected components of `things`' references among themselves
    (iterative: a cycle may be long); only those that are cycles (two or more, or a self-loop)."""
    index_of = {id(thing): n for n, thing in enumerate(things)}
    edges = [
        [index_of[id(r)] for r in gc.get_referents(thing) if id(r) in index_of] for thing in things
    ]
    order, low = [-1] * len(things), [0] * len(things)
    on_stack, stack, found, counter = [False] * len(things), [], [], 0
    for root in range(len(things)):
        if order[root] != -1:
            continue
        work = [(root, 0)]
        while work:
            node, next_edge = work.pop()
            if next_edge == 0:
                order[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack[node] = True
            for n in range(next_edge, len(edges[node])):
                other = edges[node][n]
                if order[other] == -1:
                    work += [(node, n + 1), (other, 0)]
                    break
                if on_stack[other]:
                    low[node] = min(low[node], order[other])
            else:
                if low[node] == order[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack[member] = False
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1 or node in edges[node]:
                        found.append(component)
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
    return found


def report(things: list[object]) -> list[str]:
    """Each kind of cycle (the types in it, containers aside), how many, and one's make-up."""
    kinds: Counter[tuple[str, ...]] = Counter()
    example: dict[tuple[str, ...], Counter[str]] = {}
    components = cycles(things)
    for component in components:
        names = Counter(type_name(things[n]) for n in component)
        kind = tuple(sorted(name for name in names if not name.startswith(PLAIN))) or ("-",)
        kinds[kind] += 1
        example.setdefault(kind, names)
    lines = [f"{len(things):,} unreachable objects, {len(components):,} cycles"]
    for kind, count in kinds.most_common(SHOWN):
        lines.append(f"{count:6,} x {', '.join(kind)}")
        lines.append(f"         one: {dict(example[kind].most_common(12))}")
    return lines


def keep_cycles() -> None:
    """The `cycles` policy: the app's thresholds, everything unreachable kept, reported at
    exit."""
    gc.set_debug(gc.DEBUG_SAVEALL)

    def at_exit() -> None:
        gc.collect()
        for line in report(list(gc.garbage)):
            print(PREFIX, line, file=sys.stderr, flush=True)

    atexit.register(at_exit)
