"""What a text question shows of its open answers: the latest few (a new socket never gets
thousands), and its word cloud's words with a size bucket taken from each word's own count
(so a push only touches the words whose counts changed)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

LATEST_ANSWERS = 50  # the answers every live surface lists; the owner's page shows all on demand
CLOUD_SIZES = 6  # size buckets of the cloud: 1, 2-3, 4-7, 8-15, 16-31, 32 and more


@dataclass(frozen=True)
class CloudWord:
    """One word of the cloud. `key`: a stable id for the page (a word may hold any letter);
    `size`: 1 + log2 of its count, capped at CLOUD_SIZES."""

    word: str
    count: int

    @property
    def key(self) -> str:
        return hashlib.blake2b(self.word.encode(), digest_size=6).hexdigest()

    @property
    def size(self) -> int:
        return min(self.count.bit_length(), CLOUD_SIZES)
