"""python -m bench.publish_cost: what one poll's publish costs the server, in process CPU
time, in-process (no server, no sockets on the wire), so it can be measured on a busy machine.

A poll shown with its voters to everyone, a class that has voted already, and `--sockets`
viewers on frame-taking sockets that discard what they are written. Each round one more
vote is stored (not timed) and its news heard (naming its voter, unless `--news unnamed`),
then the publisher publishes the poll as its loop would (`polls.publish`), timed on CPU.
The parts are timed the same way on their own: the reads (the poll row and its tally), the
shared render of the results update, and the loop over the sockets (the publish with
`--sockets` viewers less the publish with one, per socket).

`--owner seen` or `--owner roster` opens the owner's page too, so each publish also tells
it #roster: who should answer being everyone seen, or (roster) a room's roster listing
every student, the poll being a question of that room.

`--voters-are watching` casts the votes of the timed publishes to many sockets as students
whose sockets are open, in a poll that shows its results only after a vote (`after_vote`):
each vote shows its voter the results (their full state, sent after the publish), and the
others are sent the update of those who have not voted.

`--votes changed` makes each timed vote a changed one: a student who voted before the
timing picks the next response (their row replaced, as a vote again stores it), so the
tally loses their last ballot as it gains the new one.
"""
