"""A poll with 20,000 votes (issue 18, "large polls"), the current question of a room: what
results.json, the projector, the embed, the voters' page and the room's pages cost in server
time (wall and CPU, measured around the app) with the tally cached
per change (web/tally_cache.py) and the room's results rendered once per change
(routes/projector.py), and how big the full state a new socket gets is with every voter's
picture shown to everyone (avatar_budget.py keeps it small). The last row is results.json
read right after each of `--repeat` guests voted from the poll's page: the request after a
change. `--src` runs another source folder's Crowdsource (a "before" run); `--database-url`
seeds and reads a fresh PostgreSQL database instead of a new SQLite file.

    python -m bench.large_poll [--votes 20000] [--responses 4] [--repeat 20] [--src FOLDER]
        [--database-url postgres://…/empty_db]
"""
