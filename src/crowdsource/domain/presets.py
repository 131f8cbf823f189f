"""Quick-ask questions an instructor launches with one button (DESIGN: `preset`).

The button is a label of the page (a `Text`, translated when shown). The question and the
responses are `Text` too, but they become the poll's content when launched: room_input turns
them into plain text in the language of the instructor who asked (their page's), and that is
what is stored, shown to the class and exported, and never changes afterwards. The letters of
`abcd` are left as they are: slides name their options with them."""

from __future__ import annotations

from dataclasses import dataclass

from crowdsource.domain.person_message import PersonMessage
from crowdsource.i18n.current import Text


@dataclass(frozen=True)
class Preset:
    name: str
    button: str  # the host console's button label
    question: str  # stored, in the asker's language, when launched (see the module's note)
    choices: tuple[str, ...]


PRESETS: dict[str, Preset] = {
    preset.name: preset
    for preset in (
        Preset(
            "understanding",
            # Translators: a quick-ask button and the question it asks the class (stored with it)
            Text("How well are you following?"),
            Text("How well are you following?"),
            (
                # Translators: the responses of "How well are you following?", stored with
                # the question when an instructor asks it, in the language of their page
                Text("This is old hat to me"),
                Text("I have an okay understanding of this"),
                Text("I have no idea what you're babbling about"),
            ),
        ),
        Preset(
            "yes_no",
            # Translators: a quick-ask button; keep it short
            Text("Yes / No"),
            # Translators: a quick question, stored with its responses when an instructor asks it
            Text("Yes or no?"),
            # Translators: the two responses of "Yes or no?", stored with the question
            (Text("Yes"), Text("No")),
        ),
        Preset(
            "abcd",
            # Translators: a button's label; keep the Latin letters A B C D, which are the
            # responses stored and the labels on the instructor's slide
            Text("A B C D"),
            # Translators: a quick question whose responses are the letters A, B, C and D
            # (kept as they are: they name the options on the instructor's slide)
            Text("Which one: A, B, C or D?"),
            ("A", "B", "C", "D"),
        ),
        Preset(
            "agree5",
            # Translators: a quick-ask button; keep it short
            Text("Agree 1 to 5"),
            # Translators: a quick question, stored with its responses when an instructor asks it
            Text("How much do you agree?"),
            (
                # Translators: the responses of "How much do you agree?", stored with the
                # question; keep the number and the "·" in front
                Text("1 · Strongly disagree"),
                Text("2 · Disagree"),
                Text("3 · Neither agree nor disagree"),
                Text("4 · Agree"),
                Text("5 · Strongly agree"),
            ),
        ),
    )
}


class UnknownPreset(PersonMessage, ValueError):
    """A `preset` that is not one of PRESETS (the message, a `Text`, is shown up top)."""


def preset_named(name: str) -> Preset:
    try:
        return PRESETS[name]
    except KeyError:
        known = ", ".join(PRESETS)
        raise UnknownPreset(
            Text(
                "There is no quick question called %(name)s (known: %(known)s).",
                name=repr(name),
                known=known,
            )
        ) from None
