"""Quick-ask questions an instructor launches with one button (DESIGN: `preset`)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Preset:
    name: str
    button: str  # the host console's button label
    question: str
    choices: tuple[str, ...]


PRESETS: dict[str, Preset] = {
    preset.name: preset
    for preset in (
        Preset(
            "understanding",
            "How well are you following?",
            "How well are you following?",
            (
                "This is old hat to me",
                "I have an okay understanding of this",
                "I have no idea what you're babbling about",
            ),
        ),
        Preset("yes_no", "Yes / No", "Yes or no?", ("Yes", "No")),
        Preset("abcd", "A B C D", "Which one: A, B, C or D?", ("A", "B", "C", "D")),
        Preset(
            "agree5",
            "Agree 1 to 5",
            "How much do you agree?",
            (
                "1 · Strongly disagree",
                "2 · Disagree",
                "3 · Neither agree nor disagree",
                "4 · Agree",
                "5 · Strongly agree",
            ),
        ),
    )
}


class UnknownPreset(ValueError):
    """A `preset` that is not one of PRESETS."""


def preset_named(name: str) -> Preset:
    try:
        return PRESETS[name]
    except KeyError:
        known = ", ".join(PRESETS)
        raise UnknownPreset(
            f"There is no quick question called {name!r} (known: {known})."
        ) from None
