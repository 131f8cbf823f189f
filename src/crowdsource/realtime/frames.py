"""A pushed message, framed once: the WebSocket text frame every socket of an audience is
handed, byte for byte (RFC 6455 §5.2; a server's frames are not masked)."""

from __future__ import annotations

import struct

TEXT_FIN = 0x81  # FIN + opcode 1 (text): one whole message per frame


def text_frame(payload: bytes) -> bytes:
    """The unmasked text frame of one UTF-8 message."""
    size = len(payload)
    if size < 126:
        header = bytes((TEXT_FIN, size))
    elif size < 1 << 16:
        header = struct.pack("!BBH", TEXT_FIN, 126, size)
    else:
        header = struct.pack("!BBQ", TEXT_FIN, 127, size)
    return header + payload


class Frame:
    """A message for many sockets: its text, and its frame made at most once, when the first
    socket that can take frames asks (a socket that cannot, because it compresses each
    message with its own permessage-deflate context, sends the text)."""

    __slots__ = ("_wire", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self._wire: bytes | None = None

    @property
    def wire(self) -> bytes:
        if self._wire is None:
            self._wire = text_frame(self.text.encode())
        return self._wire

    def __len__(self) -> int:
        return len(self.text)


Message = str | Frame


def text_of(message: Message) -> str:
    return message.text if isinstance(message, Frame) else message


def wire_of(message: Message) -> bytes:
    return message.wire if isinstance(message, Frame) else text_frame(message.encode())
