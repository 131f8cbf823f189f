"""Exceptions whose message is written for a person, and stays a `Text` on its way out."""

from __future__ import annotations


class PersonMessage(Exception):
    """An exception whose one argument is a message for a person (a `Text`): `str(error)`,
    `f"{error}"` and `"%s" % error` give that message itself, so the code that catches it
    hands on a `Text`, translated where it is shown, not its English copy."""

    def __str__(self) -> str:
        if len(self.args) == 1 and isinstance(self.args[0], str):
            return self.args[0]
        return super().__str__()
