"""Paths into a JSON body as the body check and the documentation name them.

A path is dotted keys with bracketed array indexes: `merge_fields.FNAME`, `tags[2]`,
`lines[0].product_id`; "" is the body itself. `path_at` finds the path under a cursor
in the text being edited, valid JSON or not yet, so the composer can document the
field there.
"""

from __future__ import annotations

import json
import re

PathPart = str | int

_INDEX = re.compile(r"[0-9]+\]")  # the "2]" of "tags[2]"


def join_path(parent: str, part: PathPart) -> str:
    if isinstance(part, int):
        return f"{parent}[{part}]"
    return f"{parent}.{part}" if parent else part


def split_path(path: str) -> list[PathPart]:
    """`a.b[2].c` -> ["a", "b", 2, "c"]."""
    parts: list[PathPart] = []
    for piece in path.split(".") if path else []:
        name, *indexes = piece.split("[")
        if name:
            parts.append(name)
        parts.extend(int(index[:-1]) for index in indexes if _INDEX.fullmatch(index))
    return parts


class _Frame:
    """One open object or array, and where the scan stands inside it."""

    def __init__(self, is_object: bool) -> None:
        self.is_object = is_object
        self.key: str | None = None  # the member being read, once its key is known
        self.index = 0
        self.wants_key = is_object  # in an object, before the member's colon


def path_at(text: str, offset: int) -> str:
    """The path of the member or element the cursor at `offset` is in, key or value.

    The scan is forgiving: an unfinished body still gives the path so far, and in an
    object between members the path is the object's own.
    """
    stack: list[_Frame] = []
    end_at = max(0, min(offset, len(text)))
    i = 0
    while i < end_at:
        ch = text[i]
        if ch == '"':
            close = _string_end(text, i)
            if stack and stack[-1].is_object and stack[-1].wants_key:
                stack[-1].key = _key(text[i:close])  # the whole key, cursor inside or not
            i = close
            continue
        if ch in "{[":
            stack.append(_Frame(is_object=ch == "{"))
        elif ch in "}]" and stack:
            stack.pop()
        elif ch == ":" and stack and stack[-1].is_object:
            stack[-1].wants_key = False
        elif ch == "," and stack:
            frame = stack[-1]
            frame.index += 1
            frame.key, frame.wants_key = None, frame.is_object
        i += 1
    path = ""
    for frame in stack:
        if frame.is_object:
            if frame.key is None:
                break
            path = join_path(path, frame.key)
        else:
            path = join_path(path, frame.index)
    return path


def _string_end(text: str, start: int) -> int:
    """The index just past the string opening at `start`; an unclosed one ends at the
    line's end, as JSON strings hold no raw newline."""
    i = start + 1
    while i < len(text):
        if text[i] == "\\":
            i += 2
        elif text[i] == '"':
            return i + 1
        elif text[i] == "\n":
            return i
        else:
            i += 1
    return len(text)


def _key(quoted: str) -> str:
    """A key's text, from its quoted form, closed or cut at the cursor."""
    try:
        value = json.loads(quoted)
    except ValueError:
        return quoted[1:].rstrip('"').replace('\\"', '"')
    return value if isinstance(value, str) else quoted
