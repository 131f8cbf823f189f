"""Fan-out benchmark (issue 3): Crowdsource's live layer against the naive broadcast floor.

Starts each server as a real process on 127.0.0.1 (a fresh one per stage), connects viewers
with the real WebSocket protocol from one asyncio loop in this process, lets signed-in voters
vote over their own sockets the way htmx's ws extension does, and reads `data-total-votes`
in what every viewer receives. Stages, per server and per permessage-deflate setting:

  steady  N viewers; 10 votes one by one, one probe vote (bytes per update at 10 votes),
          then R votes/s for S seconds: vote -> last viewer latency
  burst   V voters vote at once while N watch; then one probe vote (bytes at V votes)
  crowd   3,000 viewers: memory per idle connection, then a burst of V votes
  room    1,000 students on one room's socket; the instructor asks L questions in turn:
          launch -> every socket shows the new question, then every student votes once
  school  100 rooms of 50 students and a projector, each its own question; every student
          votes once within 10 s: vote -> last socket of its room, every room's total exact

The load generator shares the machine with the server (2 cores here): it runs in its own
process and its CPU use is printed for every stage.

With `--processes 2`, each stage runs two Crowdsource processes on one DATA_DIR (one SQLite
file) behind a fresh redis-server: viewers take turns over the two (half on each); the owner
and the probe voter use process A. By default only process A's viewers vote, so process B
shows what the Redis hop adds; `--votes-on both` lets every viewer vote on its own process
(both processes then write the one SQLite file, taking turns for its write lock).
Every figure is reported for both processes together and for each one.

Run from the repository root: `python -m bench.fanout --quick` (a smoke run), `--help` for
the sizes. Stages live in bench/fanout/stages/, one module each (see its registry).
"""
