"""JSON in and out without a RecursionError escaping.

A document nested a few thousand levels deep (200 KB of `[[[[…`) makes the stdlib parser and
encoder raise RecursionError, which no `except ValueError` catches. Every parse and dump of
text that came from outside goes through here, so such a document is reported like any
other bad JSON instead of ending the program with a traceback.
"""

from __future__ import annotations

import json
import re
from typing import Any

TOO_DEEP = "nested too deeply"


def loads(text: str | bytes) -> Any:
    """json.loads; a too-deep document raises json.JSONDecodeError like any other bad JSON."""
    try:
        return json.loads(text)
    except RecursionError:
        doc = text if isinstance(text, str) else text[:200].decode("utf-8", "replace")
        raise json.JSONDecodeError(TOO_DEEP, doc, 0) from None


def dumps(value: Any, *, indent: int | None = None, sort_keys: bool = False) -> str:
    """json.dumps (UTF-8 text kept as is); ValueError when the value is nested too deeply."""
    try:
        return json.dumps(value, indent=indent, sort_keys=sort_keys, ensure_ascii=False)
    except RecursionError:
        raise ValueError(f"the JSON is {TOO_DEEP} to write out") from None


# A JSON string (escapes included), whose brackets do not count, as bytes.
_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_OTHER_BYTES = bytes(sorted(set(range(256)) - set(b"[]{}")))
_OPENING = frozenset(b"[{")


def nesting_depth(text: str | bytes) -> int:
    """How deep the brackets of a JSON text nest (strings skipped), without recursion:
    what a view says of a document too deep to lay out."""
    raw = text.encode("utf-8", "replace") if isinstance(text, str) else text
    depth = deepest = 0
    for byte in _STRING.sub(b"", raw).translate(None, _OTHER_BYTES):
        if byte in _OPENING:
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest
