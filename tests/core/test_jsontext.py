"""The JSON helpers every outside text goes through."""

from __future__ import annotations

import json

from mcexplorer.core.jsontext import nesting_depth


def test_nesting_depth_counts_brackets_without_recursing() -> None:
    assert nesting_depth(b"[" * 100_000 + b"]" * 100_000) == 100_000
    assert nesting_depth('{"a":' * 5000 + "1" + "}" * 5000) == 5000
    assert nesting_depth(json.dumps({"a": [1, {"b": []}], "c": {}})) == 4
    assert nesting_depth("42") == 0


def test_nesting_depth_skips_brackets_inside_strings() -> None:
    assert nesting_depth(json.dumps({"text": "[[[{{{", "q": 'say \\"[[\\" ok'})) == 1
