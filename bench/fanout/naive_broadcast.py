"""The floor of naive fan-out in Python, for the fan-out benchmark to compare against.

A bare ASGI app under uvicorn (the same server, event loop and WebSocket library as
Crowdsource): for every message any socket sends, it sends one 3 KB string to every connected
socket, one `await send` after another. No database, no templates, no auth: what a
"broadcast each vote to everyone" design costs before it does any real work. The string
ends with the number of broadcasts so far as `data-total-votes`, where the load generator
reads it as it reads Crowdsource's total: both servers' messages cost the measuring client
the same work.

    python bench/fanout/naive_broadcast.py --port 8001 [--deflate]
"""

from __future__ import annotations

import argparse
import itertools
from collections.abc import Awaitable, Callable
from typing import Any

import uvicorn

Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

ROW = '<li class="choice" data-choice-id="{0}" data-votes="{0}">Response {0}</li>'
TOTAL = '<p data-total-votes="{:09d}"></p>'  # one width for any count: 3 KB every time
ROWS = "".join(ROW.format(n) for n in range(100))[: 3072 - len(TOTAL.format(0))]

sockets: set[Send] = set()
numbers = itertools.count(1)  # the broadcasts so far


def payload(total: int) -> str:
    return ROWS + TOTAL.format(total)


assert len(payload(0)) == len(payload(10**8)) == 3072


async def broadcast() -> None:
    frame = {"type": "websocket.send", "text": payload(next(numbers))}
    for peer in list(sockets):
        try:
            await peer(frame)
        except Exception:  # a closed peer: forget it, keep going
            sockets.discard(peer)


async def websocket(receive: Receive, send: Send) -> None:
    if (await receive())["type"] != "websocket.connect":
        return
    await send({"type": "websocket.accept"})
    sockets.add(send)
    try:
        while (await receive())["type"] != "websocket.disconnect":
            await broadcast()
    finally:
        sockets.discard(send)


async def app(scope: dict[str, Any], receive: Receive, send: Send) -> None:
    if scope["type"] == "websocket":
        await websocket(receive, send)
    elif scope["type"] == "http":
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=8001)
    parser.add_argument("--deflate", action="store_true", help="accept permessage-deflate")
    args = parser.parse_args()
    uvicorn.run(
        app,
        host="127.0.0.1",
        port=args.port,
        ws_per_message_deflate=args.deflate,
        lifespan="off",
        log_level="warning",
    )


if __name__ == "__main__":
    main()
