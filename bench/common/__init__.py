"""What both benchmarks share: server processes, /proc readings, voters and the owner,
the WebSocket crowd, and small helpers for sizes, work folders and figures."""
