"""JSON in and out without a RecursionError escaping.

A document nested a few thousand levels deep (200 KB of `[[[[…`) makes the stdlib parser and
encoder raise RecursionError, which no `except ValueError` catches. Every parse and dump of
text that came from outside goes through here, so such a document is reported like any
other bad JSON instead of ending the program with a traceback.
"""

from __future__ import annotations

import json
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
