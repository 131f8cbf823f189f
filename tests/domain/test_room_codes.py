"""Room codes: drawn from an alphabet nobody misreads, typed back in any shape."""

from __future__ import annotations

import pytest

from crowdsource.domain.room_codes import ALPHABET, InvalidCode, new_code, normalise_code


def test_codes_are_six_characters_of_the_alphabet_and_vary() -> None:
    codes = {new_code() for _ in range(200)}
    assert len(codes) > 190
    assert all(len(code) == 6 and set(code) <= set(ALPHABET) for code in codes)
    assert not set("01OI") & set(ALPHABET)


@pytest.mark.parametrize("typed", ["k7qm4x", "K7Q-M4X", " k7q m4x ", "K7QM4X", "k-7-q-m-4-x"])
def test_any_case_dashes_and_spaces_give_the_canonical_code(typed: str) -> None:
    assert normalise_code(typed) == "K7QM4X"


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Type the room code"),
        ("K7QM4", "6 characters"),
        ("K7QM4XY", "6 characters"),
        ("K0QM4X", "no 0, O, 1 or I"),
        ("K7QM4!", "no 0, O, 1 or I"),
        ("K7QM4X" * 10, "6 characters"),
        (None, "6 characters"),
    ],
)
def test_what_is_not_a_code_says_why(typed: object, message: str) -> None:
    with pytest.raises(InvalidCode, match=message):
        normalise_code(typed)
