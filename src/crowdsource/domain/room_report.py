"""A room's report over the term: its members by its asked questions, whether each answered
(and, in a quiz, answered correctly), with rates per student and per question. A handful
of queries whatever the size (questions, correct responses, each ballot table once, the
roster): never one per cell. Only the current round of a peer-instruction question counts
(earlier rounds' ballots are practice). A `show_voters=nobody` question gives participation
only: its choices are never read, so it has no correct column."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from crowdsource.domain.models import Answer, Choice, Pick, Poll, Room, User, Vote
from crowdsource.domain.participation import answered_ids, roster_users
from crowdsource.domain.roster import member_key

NOBODY = "nobody"  # show_voters: who took part is recorded, never who chose what
SORTS = ("name", "rate", "correct")  # ?sort= on the report: by name, answer or correct rate


@dataclass(frozen=True)
class Question:
    """A column: an asked question, whether correctness is known (a quiz, not `nobody`),
    and how many members answered it and answered it correctly."""

    number: int
    slug: str
    text: str
    quiz: bool
    answered: int
    correct: int
    members: int

    @property
    def answer_rate(self) -> float | None:
        return self.answered / self.members if self.members else None

    @property
    def correct_rate(self) -> float | None:
        """Of those who answered, the share who were right (None: no quiz, or nobody yet)."""
        return self.correct / self.answered if self.quiz and self.answered else None


@dataclass(frozen=True)
class Cell:
    """One member and one question: answered, and (a quiz) whether correctly; None when
    correctness is not known (no quiz, `nobody`, or not answered)."""

    answered: bool
    correct: bool | None


@dataclass(frozen=True)
class Row:
    """A member: login and name, whether they are on the roster, and their cells."""

    login: str
    name: str
    on_roster: bool
    cells: tuple[Cell, ...]

    @property
    def answered(self) -> int:
        return sum(cell.answered for cell in self.cells)

    @property
    def quizzes_answered(self) -> int:
        return sum(cell.correct is not None for cell in self.cells)

    @property
    def correct(self) -> int:
        return sum(cell.correct is True for cell in self.cells)

    @property
    def answer_rate(self) -> float | None:
        return self.answered / len(self.cells) if self.cells else None

    @property
    def correct_rate(self) -> float | None:
        """Of the quiz questions they answered, the share they got right."""
        return self.correct / self.quizzes_answered if self.quizzes_answered else None


@dataclass(frozen=True)
class RoomReport:
    questions: tuple[Question, ...]
    rows: tuple[Row, ...]
    from_roster: bool

    @property
    def has_quiz(self) -> bool:
        return any(question.quiz for question in self.questions)


def sorted_rows(rows: tuple[Row, ...], sort: str) -> tuple[Row, ...]:
    """`name` (A to Z), `rate` (highest answer rate first) or `correct` (highest first; those
    without a quiz answered last); ties by name."""
    by_name = sorted(rows, key=lambda row: (member_key(row.name), member_key(row.login)))
    if sort == "rate":
        return tuple(sorted(by_name, key=lambda row: -(row.answer_rate or 0)))
    if sort == "correct":
        return tuple(sorted(by_name, key=lambda row: -(row.correct_rate or -1)))
    return tuple(by_name)


async def asked_questions(room: Room) -> list[Poll]:
    """The room's questions that were asked (drafts are not), in the room's order."""
    return await Poll.filter(room_id=room.id, draft=False).order_by("position", "id")


async def picked_by_voter(polls: list[Poll]) -> dict[tuple[int, int], set[int]]:
    """(poll, voter) -> the response ids they picked now, for polls whose choices may be
    read (never a `show_voters=nobody` one)."""
    ids = [poll.id for poll in polls if poll.show_voters != NOBODY]
    picked: dict[tuple[int, int], set[int]] = defaultdict(set)
    if not ids:
        return picked
    for model in (Vote, Pick):
        rows = await model.filter(poll_id__in=ids).values_list("poll_id", "voter_id", "choice_id")
        for poll_id, voter_id, choice_id in rows:
            picked[(int(poll_id), int(voter_id))].add(int(choice_id))
    return picked


async def correct_choices(polls: list[Poll]) -> dict[int, set[int]]:
    """poll -> its correct response ids, for the quizzes among polls (not `nobody` ones)."""
    ids = [poll.id for poll in polls if poll.show_voters != NOBODY]
    found: dict[int, set[int]] = defaultdict(set)
    if ids:
        rows = await Choice.filter(poll_id__in=ids, correct=True).values_list("poll_id", "id")
        for poll_id, choice_id in rows:
            found[int(poll_id)].add(int(choice_id))
    return found


async def room_report(room: Room) -> RoomReport:
    """The report of a room: the roster's members (listed logins, and org or team members
    who signed in) and anyone else who answered (`on_roster` False); without a roster,
    everyone who answered. The owner is never a member."""
    polls = await asked_questions(room)
    owner = room.owner_id  # type: ignore[attr-defined]
    answered = {pair for pair in await answered_ids([p.id for p in polls]) if pair[1] != owner}
    correct = await correct_choices(polls)
    picked = await picked_by_voter([p for p in polls if p.id in correct])
    roster = await roster_users(room.id)
    people: dict[str, tuple[str, str, int | None, bool]] = {}  # key -> login, name, id, listed
    if roster is not None:
        listed, users = roster
        for login in listed:
            people[member_key(login)] = (login, login, None, True)
        for user_id, login, name, _ in users:
            if user_id != owner:
                people[member_key(login)] = (login, name, user_id, True)
    known = {entry[2] for entry in people.values()}
    others = await User.filter(id__in={voter for _, voter in answered} - known)
    for user in others:
        people[member_key(user.login)] = (user.login, user.name, user.id, False)
    rows = []
    for login, name, user_id, listed in people.values():
        cells = []
        for poll in polls:
            did = user_id is not None and (poll.id, user_id) in answered
            right = None
            if did and poll.id in correct:
                right = picked.get((poll.id, user_id), set()) == correct[poll.id]  # type: ignore[arg-type]
            cells.append(Cell(did, right))
        rows.append(Row(login, name or login, listed, tuple(cells)))
    questions = tuple(
        Question(
            number,
            poll.slug,
            poll.question,
            poll.id in correct,
            sum(row.cells[number - 1].answered for row in rows),
            sum(row.cells[number - 1].correct is True for row in rows),
            len(rows),
        )
        for number, poll in enumerate(polls, start=1)
    )
    return RoomReport(questions, sorted_rows(tuple(rows), "name"), roster is not None)


@dataclass(frozen=True)
class MyAnswer:
    """One of the room's questions a student answered, as they answered it: the responses
    they picked or the text they wrote (empty in a `nobody` question: not kept with their
    name), and whether it was right once a quiz is revealed (None otherwise)."""

    slug: str
    question: str
    given: tuple[str, ...]
    secret: bool
    correct: bool | None


async def my_answers(room: Room, user: User) -> list[MyAnswer]:
    """The room's asked questions this user answered (current round), with their answers."""
    polls = await asked_questions(room)
    ids = [poll.id for poll in polls]
    mine = {poll_id for poll_id, voter in await answered_ids(ids) if voter == user.id}
    given: dict[int, list[tuple[int, str, bool]]] = defaultdict(list)
    for model in (Vote, Pick):
        for poll_id, position, label, right in await model.filter(
            poll_id__in=ids, voter_id=user.id
        ).values_list("poll_id", "choice__position", "choice__label", "choice__correct"):
            given[int(poll_id)].append((int(position), str(label), bool(right)))
    texts = dict(
        await Answer.filter(poll_id__in=ids, voter_id=user.id).values_list("poll_id", "text")
    )
    correct = await correct_choices(polls)
    found = []
    for poll in (poll for poll in polls if poll.id in mine):
        picks = sorted(given.get(poll.id, []))
        secret = poll.show_voters == NOBODY
        labels = () if secret else tuple(label for _, label, _ in picks)
        if poll.id in texts and not secret:
            labels = (str(texts[poll.id]),)
        right = None
        if poll.id in correct and poll.revealed_at is not None and not secret:
            right = all(ok for _, _, ok in picks) and len(picks) == len(correct[poll.id])
        found.append(MyAnswer(poll.slug, poll.question, labels, secret, right))
    return found
