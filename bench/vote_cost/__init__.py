"""python -m bench.vote_cost: what storing a ballot costs the server, in process CPU time,
in-process (no server, no sockets), so it can be measured on a busy machine.

A poll in a room (its roster read, the room's current question checked) and a class of
voters. Each ballot goes through `store_ballots`, the group commit's batch function, as a
vote from a student's socket does: the voter's session version checked, the room's question,
the poll and the responses read, the ballot stored, all in one transaction. Timed alone
(one vote at a time: the quiet room) and in batches (a burst: many ballots per
transaction), medians of process CPU per ballot; SQLite, or `--database-url`.
"""
