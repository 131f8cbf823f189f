"""A poll with 20,000 votes (issue 18, "large polls"): what results.json, the projector and
the embed cost in server time with the tally read per request and with it cached per change
(web/tally_cache.py), and how big the full state a new socket gets is with every voter's
picture shown to everyone (avatar_budget.py keeps it small).

    python -m bench.large_poll [--votes 20000] [--responses 4] [--repeat 20]
"""
