"""Load with a restart (issue 8): 1,000 voters vote and change their votes over sockets and
forms while 1,000 viewers watch one poll; the server is restarted gracefully in the middle.

    python -m bench.load            # 1,000 viewers, 1,000 voters (75 s on 2 cores)
    python -m bench.load --quick    # 100 and 100 (under a minute)

One real `crowdsource serve` (SQLite, one process) on 127.0.0.1 with its rate limits raised far
above the load (the test measures the system, not the limiter). Viewers are signed-out poll
pages (the first is the owner's); each socket voter votes over its own poll page's socket and
watches too; form voters POST the no-JavaScript form with its CSRF token and follow the 303.
Every page reconnects like htmx in a browser (close codes 1006/1011/1012/1013, with
static/js/live.js's full-jitter backoff, 8 s at most; 1001 as live.js too). Half-way the server
gets SIGTERM, exits, and is started again on the same port and data folder; votes in flight are
either acknowledged (then they must be stored) or sent again. At the end, after a quiet moment,
the SQLite file is read directly: every voter's row must be their last acknowledged choice,
once; and every page must show the stored totals. Exits 1 when any check fails."""
