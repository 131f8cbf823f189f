"""What changed in a text question's results between two tallies, as deltas by id: the live
list is the latest few answers (tally.latest_answers), so the change is that window's
difference, and the cloud's is the words whose counts changed. A message's size follows what
changed, never the number of answers."""

from __future__ import annotations

from dataclasses import dataclass

from crowdsource.domain.open_answers import LATEST_ANSWERS, CloudWord
from crowdsource.domain.tally import ShownAnswer, Tally


@dataclass(frozen=True)
class AnswerDelta:
    """`removed`: answer ids to delete (hidden, replaced, or pushed out of the window);
    `earlier`: answers back at the window's start (an answer after them was hidden);
    `appended`: new or replaced answers, oldest first; the cloud's words that changed count,
    came in or dropped out; whether the count of people and of answers changed."""

    removed: tuple[int, ...]
    earlier: tuple[ShownAnswer, ...]
    appended: tuple[ShownAnswer, ...]
    words_changed: tuple[CloudWord, ...]
    words_added: tuple[CloudWord, ...]
    words_dropped: tuple[CloudWord, ...]
    total_changed: bool
    count_changed: bool

    @property
    def empty(self) -> bool:
        return not (
            self.removed
            or self.earlier
            or self.appended
            or self.words_changed
            or self.words_added
            or self.words_dropped
            or self.total_changed
            or self.count_changed
        )


def answer_delta(before: Tally, after: Tally) -> AnswerDelta:
    was = {answer.id: answer for answer in before.latest_answers}
    now = {answer.id: answer for answer in after.latest_answers}
    changed = {i for i in was.keys() & now.keys() if was[i].text != now[i].text}
    removed = tuple(i for i in was if i not in now or i in changed)
    fresh = [a for a in after.latest_answers if a.id not in was or a.id in changed]
    # An answer back in the window sits before every answer kept; a new one after them.
    position = {answer.id: index for index, answer in enumerate(after.latest_answers)}
    kept = [position[i] for i in was if i in now and i not in changed]
    first_kept = min(kept, default=0)  # none kept: the list is empty, every one appended
    earlier = tuple(a for a in fresh if position[a.id] < first_kept and a.id not in changed)
    appended = tuple(a for a in fresh if a not in earlier)
    old_words = {word.word: word for word in before.cloud}
    new_words = {word.word: word for word in after.cloud}
    return AnswerDelta(
        removed=removed,
        earlier=earlier,
        appended=appended,
        words_changed=tuple(
            w for w in after.cloud if w.word in old_words and old_words[w.word].count != w.count
        ),
        words_added=tuple(w for w in after.cloud if w.word not in old_words),
        words_dropped=tuple(w for w in before.cloud if w.word not in new_words),
        total_changed=before.total_votes != after.total_votes,
        # "Latest 50 of N" is shown (and changes) only past the window's size
        count_changed=len(before.answers) != len(after.answers)
        and max(len(before.answers), len(after.answers)) > LATEST_ANSWERS,
    )
