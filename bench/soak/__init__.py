"""Soak: does a term-long run grow? `python -m bench.soak --minutes N` runs a real
`crowdsource serve` and for N minutes creates polls, opens sockets and drops them (some
abruptly, some stalled), votes, closes and deletes polls, printing over time the server's
RSS, open file descriptors, asyncio tasks and the sizes of its long-lived maps. At the end
it checks that sockets, tasks, timers and maps are back to their floor: PASS or FAIL.

The sizes come from a probe that exists only in this benchmark: the server runs through
`bench/soak/server.py`, which wraps `crowdsource serve` and adds `GET /_soak/probe` to the
app (loopback only); production code has no such route. `--gc POLICY` chooses the garbage
collection policy the server runs with (see gc_policies.py); `--gc cycles` instead reports
which objects formed reference cycles (cycles.py)."""
