"""The operation catalog as the sandbox uses it: a path trie for matching requests.

The sandbox reads `data/catalog.json` directly (it may not import the client's
`core.catalog`); all it needs is templates, methods, params, body and response
field types.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from mcexplorer.sandbox.errors import DATA_DIR


@dataclass(frozen=True)
class Operation:
    id: str
    method: str
    template: str
    success: int
    params: tuple[dict[str, Any], ...]
    body: dict[str, Any] | None
    response: dict[str, Any]

    def param(self, name: str) -> dict[str, Any] | None:
        return next((p for p in self.params if p["name"] == name), None)


@dataclass
class _Node:
    literal: dict[str, _Node] = field(default_factory=dict)
    variable: _Node | None = None
    ops: dict[str, Operation] = field(default_factory=dict)  # method -> operation


@dataclass(frozen=True)
class Match:
    ops: dict[str, Operation]  # every method served at this path

    def params_for(self, op: Operation, segments: list[str]) -> dict[str, str]:
        names = _segments(op.template)
        return {n[1:-1]: s for n, s in zip(names, segments, strict=True) if n.startswith("{")}


def _segments(path: str) -> list[str]:
    return [s for s in path.split("/") if s]


class Catalog:
    def __init__(self, operations: list[Operation]) -> None:
        self.operations = operations
        self.root = _Node()
        for op in operations:
            node = self.root
            for seg in _segments(op.template):
                if seg.startswith("{"):
                    node.variable = node.variable or _Node()
                    node = node.variable
                else:
                    node = node.literal.setdefault(seg, _Node())
            node.ops[op.method] = op
        self.max_depth = max(len(_segments(op.template)) for op in operations)

    @classmethod
    @cache
    def load(cls, name: str = "catalog.json") -> Catalog:
        """A catalog data file: the Mailchimp one, or `mailersend_catalog.json`."""
        raw = json.loads((DATA_DIR / name).read_text("utf-8"))
        return cls(
            [
                Operation(
                    id=o["id"],
                    method=o["method"],
                    template=o["path"],
                    success=int(o["success"]),
                    params=tuple(o["params"]),
                    body=o["body"],
                    response=o["response"] or {},
                )
                for o in raw["operations"]
            ]
        )

    def match(self, segments: list[str]) -> Match | None:
        """Literal segments win over variables, with backtracking."""
        node = self._walk(self.root, segments, 0)
        return Match(node.ops) if node else None

    def _walk(self, node: _Node, segments: list[str], i: int) -> _Node | None:
        if i == len(segments):
            return node if node.ops else None
        child = node.literal.get(segments[i])
        if child is not None:
            found = self._walk(child, segments, i + 1)
            if found is not None:
                return found
        if node.variable is not None:
            return self._walk(node.variable, segments, i + 1)
        return None

    def too_deep(self, segments: list[str]) -> bool:
        """True when the path goes below every catalog path it starts like."""
        if len(segments) > self.max_depth:
            return True
        return self._deepest_below(self.root, segments, 0) < len(segments)

    def _deepest_below(self, node: _Node, segments: list[str], i: int) -> int:
        """How deep the catalog goes under the longest matching prefix of `segments`."""
        if i == len(segments):
            return i + _height(node)
        best = -1
        for child in (node.literal.get(segments[i]), node.variable):
            if child is not None:
                best = max(best, self._deepest_below(child, segments, i + 1))
        return best if best >= 0 else i + _height(node)


def _height(node: _Node) -> int:
    kids = [*node.literal.values(), *([node.variable] if node.variable else [])]
    return 1 + max(map(_height, kids)) if kids else 0
