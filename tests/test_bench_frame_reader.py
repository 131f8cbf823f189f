"""The load generator's own frame reader (bench/common/frame_reader.py) and a benchmark socket
that reads with it once open: what websockets would have read, message for message."""

from __future__ import annotations

from websockets.frames import Close, Frame, Opcode
from websockets.server import ServerProtocol

from bench.common.crowd import Viewer
from bench.common.frame_reader import BINARY, CONTINUATION, PING, TEXT, FrameReader


def server_frame(opcode: Opcode, data: bytes, fin: bool = True) -> bytes:
    """A frame as a server writes it: unmasked, uncompressed."""
    return Frame(opcode, data, fin).serialize(mask=False)


SIZES = (0, 5, 125, 126, 200, 65_535, 65_536, 70_000)  # 7-bit, 16-bit and 64-bit lengths
STREAM = b"".join(
    [
        *(server_frame(Opcode.TEXT, bytes([65 + n % 26]) * size) for n, size in enumerate(SIZES)),
        server_frame(Opcode.PING, b"are you there"),
        server_frame(Opcode.TEXT, b"first half, ", fin=False),
        server_frame(Opcode.CONT, b"second half"),
        server_frame(Opcode.BINARY, b"\x00\x01"),
    ]
)
EXPECTED = [
    *((TEXT, True, bytes([65 + n % 26]) * size) for n, size in enumerate(SIZES)),
    (PING, True, b"are you there"),
    (TEXT, False, b"first half, "),
    (CONTINUATION, True, b"second half"),
    (BINARY, True, b"\x00\x01"),
]


def read_in_chunks(reader: FrameReader, stream: bytes, chunk: int) -> list[tuple[int, bool, bytes]]:
    frames = []
    for at in range(0, len(stream), chunk):
        got, rest = reader.feed(stream[at : at + chunk])
        assert rest is None
        frames += got
    return frames


def test_frames_are_read_whole_however_the_bytes_arrive() -> None:
    for chunk in (1, 2, 3, 7, 100, 4096, 65_536, len(STREAM)):
        assert read_in_chunks(FrameReader(), STREAM, chunk) == EXPECTED, chunk


def test_a_close_frame_and_everything_after_it_are_handed_back() -> None:
    close = server_frame(Opcode.CLOSE, Close(1012, "restart").serialize())
    after = server_frame(Opcode.TEXT, b"never read here")
    last = server_frame(Opcode.TEXT, b"last")
    assert FrameReader().feed(last + close + after) == ([(TEXT, True, b"last")], close + after)
    reader = FrameReader()  # the close frame's first byte alone, then the rest
    assert reader.feed(last + close[:1]) == ([(TEXT, True, b"last")], None)
    assert reader.feed(close[1:] + after) == ([], close + after)


def test_what_a_server_never_sends_is_handed_back_unread() -> None:
    masked = Frame(Opcode.TEXT, b"masked").serialize(mask=True)
    compressed = bytes([0xC1]) + server_frame(Opcode.TEXT, b"x")[1:]  # RSV1: deflate
    for odd in (masked, compressed):
        text = server_frame(Opcode.TEXT, b"fine")
        assert FrameReader().feed(text + odd) == ([(TEXT, True, b"fine")], odd)


class Transport:
    """What a benchmark socket writes, kept."""

    def __init__(self) -> None:
        self.written = b""

    def write(self, data: bytes) -> None:
        self.written += data

    def can_write_eof(self) -> bool:
        return True

    def write_eof(self) -> None:
        pass

    def close(self) -> None:
        pass

    def take(self) -> bytes:
        data, self.written = self.written, b""
        return data


async def test_an_open_socket_reads_its_own_frames_until_the_server_closes() -> None:
    """The handshake and the close go through websockets; the messages in between are read
    by `FrameReader`, pings are answered, and every total is read as before."""
    viewer = Viewer("ws://127.0.0.1:9/polls/q/ws", None, None, False)
    transport = Transport()
    viewer.connection_made(transport)  # type: ignore[arg-type]
    server = ServerProtocol()
    server.receive_data(transport.take())
    (request,) = server.events_received()
    server.send_response(server.accept(request))  # type: ignore[arg-type]
    server.send_text(b'<p data-total-votes="1"></p>')  # arrives with the handshake
    viewer.data_received(b"".join(server.data_to_send()))
    assert viewer.opened is not None and viewer.opened.done()
    assert viewer.total == 1 and viewer._reader is not None  # reading its own frames now

    server.send_text(b'<p data-total-votes="2"></p>')
    server.send_ping(b"ping 1")
    server.send_text(b"<p data-total-", fin=False)
    server.send_continuation(b'votes="3"></p>', fin=True)
    stream = b"".join(server.data_to_send())
    for at in range(0, len(stream), 5):
        viewer.data_received(stream[at : at + 5])
    assert (viewer.total, viewer.messages) == (3, 3)
    server.receive_data(transport.take())
    assert [type(event).__name__ for event in server.events_received()] == ["Frame"]  # the pong

    server.send_close(1012, "restart")
    viewer.data_received(b"".join(server.data_to_send()))
    assert viewer._reader is None
    assert viewer.ws.close_rcvd is not None and viewer.ws.close_rcvd.code == 1012
