"""The word cloud of a text question: words counted across the shown answers, case-folded,
with the stop words of the page's language left out."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from functools import cache
from pathlib import Path

CLOUD_WORDS = 50  # the most frequent words a cloud shows
WORD_MAX = 40  # longer "words" (a pasted link, a key smash) are left out

_WORD = re.compile(r"\w+(?:'\w+)*")

STOP_WORDS_DIR = Path(__file__).with_name("stop_words")  # one `<language>.txt` each
APOSTROPHES = str.maketrans({"\u2019": "'"})


@cache
def stop_words(language: str) -> frozenset[str]:
    """The stop words of a language tag (`pt-BR` uses `pt`'s); English's when unknown."""
    base = language.split("-")[0].casefold()
    found = STOP_WORDS_DIR / f"{base}.txt"
    if not base.isalpha() or not found.is_file():
        found = STOP_WORDS_DIR / "en.txt"
    return frozenset(found.read_text(encoding="utf-8").split())


def words_of(text: str) -> list[str]:
    """The words of one answer, case-folded (apostrophes kept inside a word)."""
    folded = unicodedata.normalize("NFC", text).casefold().translate(APOSTROPHES)
    return [word for word in _WORD.findall(folded) if len(word) <= WORD_MAX]


def word_cloud(
    texts: Iterable[str], language: str = "en", limit: int = CLOUD_WORDS
) -> tuple[tuple[str, int], ...]:
    """(word, count) of the most frequent words, most frequent first, ties in alphabetical
    order; stop words, single letters and bare numbers left out. A word counts once per
    answer, so one person repeating a word does not grow it."""
    skipped = stop_words(language)
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(
            {
                word
                for word in words_of(text)
                if word not in skipped and len(word) > 1 and not word.isdigit()
            }
        )
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return tuple(ranked[:limit])
