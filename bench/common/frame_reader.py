"""A server's WebSocket frames read without websockets' parser, for the load generator.

websockets' sans-I/O parser is a chain of generators: about 10 µs of Python per message on
the benchmark's machine, for each of a thousand sockets per vote, on the one core that also
times them. That reading is in every "vote → last viewer" the benchmark prints, so the
reader should cost as little as it can. Once the handshake is done and nothing is
compressed, a server's data frames are simple: an opcode, a length, the bytes (never
masked). `FrameReader` reads those and pings; anything else (a close frame, a reserved bit,
a mask) is handed back with every byte after it, for websockets to read from then on."""

from __future__ import annotations

TEXT, CONTINUATION, BINARY, PING = 0x1, 0x0, 0x2, 0x9
READ = frozenset({TEXT, CONTINUATION, BINARY, PING})
Frame = tuple[int, bool, bytes]  # opcode, fin, payload


class FrameReader:
    """Whole frames out of the bytes as they arrive (a frame may span several reads)."""

    def __init__(self) -> None:
        self._pending = b""

    def feed(self, data: bytes) -> tuple[list[Frame], bytes | None]:
        """The frames completed by `data`, and None; or, once a frame this reader does not
        read begins, the frames before it and the bytes from that frame on (the caller
        hands them to websockets and stops using this reader)."""
        buffer = self._pending + data if self._pending else data
        frames: list[Frame] = []
        at, end = 0, len(buffer)
        while end - at >= 2:
            first, second = buffer[at], buffer[at + 1]
            if first & 0x70 or second & 0x80 or first & 0x0F not in READ:
                self._pending = b""
                return frames, buffer[at:]
            size, start = second & 0x7F, at + 2
            if size >= 126:
                width = 2 if size == 126 else 8
                if end - start < width:
                    break
                size = int.from_bytes(buffer[start : start + width], "big")
                start += width
            if end - start < size:
                break
            frames.append((first & 0x0F, bool(first & 0x80), buffer[start : start + size]))
            at = start + size
        self._pending = buffer[at:]
        return frames, None
