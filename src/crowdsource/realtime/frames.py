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
    """A message for many sockets: its text, and its frame, made once for all of them (a
    socket that compresses each message with its own permessage-deflate context sends the
    text instead)."""

    __slots__ = ("size", "text", "wire")

    def __init__(self, text: str) -> None:
        self.text = text
        self.size = len(text)
        self.wire = text_frame(text.encode())

    def __len__(self) -> int:
        return self.size


Message = str | Frame


def text_of(message: Message) -> str:
    return message.text if message.__class__ is Frame else message  # type: ignore[union-attr,return-value]


def framed(message: Message) -> Frame:
    return message if message.__class__ is Frame else Frame(message)  # type: ignore[arg-type,return-value]
