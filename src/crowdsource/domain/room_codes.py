"""Room codes: six characters people read off a projector and type on a phone."""

from __future__ import annotations

import secrets

from crowdsource.domain.models import ROOM_CODE_LENGTH
from crowdsource.domain.person_message import PersonMessage
from crowdsource.i18n.current import Text, ntext

# No 0/O and no 1/I: nothing a student can misread from the back row.
ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
_SEPARATORS = frozenset(" -\t")
MAX_TYPED_LENGTH = 32  # what `normalise_code` reads at most (spaces and dashes included)


class InvalidCode(PersonMessage, ValueError):
    """Not a room code: wrong length, or characters outside the alphabet. The message (a
    `Text`) is for the person who typed it."""


def _length_problem() -> Text:
    return ntext(
        "A room code has %(count)s character.",
        "A room code has %(count)s characters.",
        ROOM_CODE_LENGTH,
    )


def new_code() -> str:
    """A fresh code from a CSPRNG (32^6 ≈ 10^9 codes; uniqueness is the store's job)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(ROOM_CODE_LENGTH))


def normalise_code(typed: object) -> str:
    """The canonical (upper case) code of what someone typed: any case, with spaces or a
    dash (`k7q-m4x` is `K7QM4X`). InvalidCode says what is wrong, in plain words."""
    if not isinstance(typed, str) or len(typed) > MAX_TYPED_LENGTH:
        raise InvalidCode(_length_problem())
    code = "".join(char for char in typed if char not in _SEPARATORS).upper()
    if not code:
        raise InvalidCode(Text("Type the room code shown on the screen."))
    if any(char not in ALPHABET for char in code):
        raise InvalidCode(
            Text(
                "A room code uses only the letters and digits %(alphabet)s "
                "(no 0, O, 1 or I): check what you typed.",
                alphabet=ALPHABET,
            )
        )
    if len(code) != ROOM_CODE_LENGTH:
        raise InvalidCode(_length_problem())
    return code
