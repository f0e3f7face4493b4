"""A small path syntax into a JSON document, for assertions and response search.

    path    := "$" | ["$"] first step*
    first   := name | "*" | bracket          (after "$", a step starts with "." or "[")
    step    := "." name | "." "*" | bracket
    bracket := "[" integer "]" | "[*]" | "[" json-string "]"
    name    := one or more of A-Z a-z 0-9 _ -

`members[0].email_address` is the first member's address, `members[-1]` the last member,
`members[*].status` every member's status, `merge_fields.FNAME` a merge field, `stats.*` every
value of an object, `["odd key.with dots"]` a key no name can spell, and `$` the whole document.
A path selects zero or more values: a missing key or an index out of range selects nothing.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

_NAME = re.compile(r"[A-Za-z0-9_\-]+")
_INDEX = re.compile(r"-?[0-9]+")


class JsonPathError(ValueError):
    """The text is not a path; says where and why."""

    def __init__(self, text: str, position: int, reason: str) -> None:
        super().__init__(f"bad JSON path {text!r} at character {position + 1}: {reason}")
        self.position = position


@dataclass(frozen=True)
class Key:
    name: str


@dataclass(frozen=True)
class Index:
    index: int


@dataclass(frozen=True)
class Every:
    """Every item of a list, or every value of an object."""


Step = Key | Index | Every


def _bracket(text: str, start: int) -> tuple[Step, int]:
    """The step of a `[...]` that opens at `start`, and the position after its `]`."""
    i = start + 1
    if text.startswith("*]", i):
        return Every(), i + 2
    if text.startswith('"', i):
        end = i + 1
        while end < len(text) and text[end] != '"':
            end += 2 if text[end] == "\\" else 1
        if end >= len(text):
            raise JsonPathError(text, i, "the quoted key is not closed")
        try:
            key = json.loads(text[i : end + 1])
        except json.JSONDecodeError as exc:
            raise JsonPathError(text, i, f"bad quoted key ({exc.msg})") from None
        step: Step = Key(key)
        i = end + 1
    else:
        number = _INDEX.match(text, i)
        if number is None:
            raise JsonPathError(text, i, 'expected an index, "*" or a quoted key after "["')
        step, i = Index(int(number.group())), number.end()
    if not text.startswith("]", i):
        raise JsonPathError(text, i, 'expected "]"')
    return step, i + 1


def _name(text: str, i: int) -> tuple[Step, int]:
    if text.startswith("*", i):
        return Every(), i + 1
    name = _NAME.match(text, i)
    if name is None:
        raise JsonPathError(text, i, "expected a key name (letters, digits, _ or -) or *")
    return Key(name.group()), name.end()


def parse_path(text: str) -> tuple[Step, ...]:
    """The steps of a path; JsonPathError names the character where it goes wrong."""
    if not text:
        raise JsonPathError(text, 0, "the path is empty (use $ for the whole document)")
    steps: list[Step] = []
    i = 0
    if text.startswith("$"):
        i = 1
        if i == len(text):
            return ()
        if text[i] not in ".[":
            raise JsonPathError(text, i, 'expected "." or "[" after "$"')
    if text[i] == "[":
        step, i = _bracket(text, i)
    elif text[i] == "." and i == 1:
        step, i = _name(text, i + 1)
    else:
        step, i = _name(text, i)
    steps.append(step)
    while i < len(text):
        if text[i] == ".":
            step, i = _name(text, i + 1)
        elif text[i] == "[":
            step, i = _bracket(text, i)
        else:
            raise JsonPathError(text, i, 'expected "." or "["')
        steps.append(step)
    return tuple(steps)


def format_path(steps: tuple[Step, ...]) -> str:
    """The text of a path, in the shortest spelling `parse_path` reads back the same."""
    parts: list[str] = []
    for step in steps:
        if isinstance(step, Every):
            parts.append("[*]")
        elif isinstance(step, Index):
            parts.append(f"[{step.index}]")
        elif _NAME.fullmatch(step.name):
            parts.append(("." if parts else "") + step.name)
        else:
            parts.append("[" + json.dumps(step.name, ensure_ascii=False) + "]")
    return "".join(parts) or "$"


def has_wildcard(steps: tuple[Step, ...]) -> bool:
    return any(isinstance(step, Every) for step in steps)


def select(document: Any, steps: tuple[Step, ...]) -> list[Any]:
    """Every value the path selects, in document order (an empty list when none)."""
    current = [document]
    for step in steps:
        found: list[Any] = []
        for value in current:
            if isinstance(step, Every):
                if isinstance(value, list):
                    found.extend(value)
                elif isinstance(value, dict):
                    found.extend(value.values())
            elif isinstance(step, Index):
                if isinstance(value, list) and -len(value) <= step.index < len(value):
                    found.append(value[step.index])
            elif isinstance(value, dict) and step.name in value:
                found.append(value[step.name])
        current = found
    return current
