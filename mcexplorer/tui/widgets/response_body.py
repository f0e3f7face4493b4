"""What the response view shows of an outcome, worked out without a widget: the page a
collection response sits on, and the body laid out off the UI thread."""

from __future__ import annotations

import gc
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from mcexplorer.core.http.links import Link, links_of
from mcexplorer.tui.widgets.json_view import pretty_lines
from mcexplorer.tui.widgets.resource_map import collection_items

if TYPE_CHECKING:
    from mcexplorer.core.http.outcome import Outcome

# Dotted names of a response for `fields=` suggestions: a few items show a collection's shape.
_SAMPLED_ITEMS = 3
# Deeper names are no `fields=` anyone types, and a hostile body nests thousands of levels.
_NAMES_DEPTH = 32


def dotted_names(value: Any) -> set[str]:
    """`key`, `key.sub`, … of a decoded body, walked with a stack (no recursion)."""
    names: set[str] = set()
    stack: list[tuple[Any, str, int]] = [(value, "", 0)]
    while stack:
        node, prefix, depth = stack.pop()
        if depth == _NAMES_DEPTH:
            continue
        if isinstance(node, dict):
            for key, child in node.items():
                name = f"{prefix}.{key}" if prefix else str(key)
                names.add(name)
                stack.append((child, name, depth + 1))
        elif isinstance(node, list):
            stack.extend((child, prefix, depth + 1) for child in node[:_SAMPLED_ITEMS])
    return names


def human_size(n: int) -> str:
    if n < 1024:
        return f"{n} B"
    if n < 1024 * 1024:
        return f"{n / 1024:.1f} KB"
    return f"{n / (1024 * 1024):.1f} MB"


@dataclass(frozen=True)
class Page:
    """Where a collection response sits: items offset..offset+shown of total."""

    offset: int
    count: int
    shown: int
    total: int

    @property
    def has_previous(self) -> bool:
        return self.offset > 0

    @property
    def has_next(self) -> bool:
        return self.offset + self.shown < self.total

    def describe(self) -> str:
        if not self.shown:
            return f"none of {self.total}"
        return f"{self.offset + 1}–{self.offset + self.shown} of {self.total}"


def page_of(outcome: Outcome, data: Any) -> Page | None:
    if outcome.request.method.upper() != "GET" or not isinstance(data, dict):
        return None
    total = data.get("total_items")
    if not isinstance(total, int):
        return None
    query = outcome.request.query
    try:
        offset = int(query.get("offset", "0"))
        count = int(query.get("count", "10"))
    except ValueError:
        return None
    return Page(offset, count, len(collection_items(data)), total)


@dataclass(frozen=True)
class FormattedBody:
    """What the view needs from a body, worked out off the UI thread.

    The decoded JSON itself is dropped here: a 1,000-member page is ~50,000 objects, and
    keeping them would make every later garbage collection on the UI thread slower.
    """

    lines: list[str]
    width: int
    is_json: bool
    links: list[Link]
    page: Page | None
    field_names: list[str]
    too_deep: int  # the depth of JSON too deeply nested to lay out (shown raw), else 0

    @property
    def notice(self) -> str:
        """What the view says above a body it could not lay out, else ""."""
        if not self.too_deep:
            return ""
        return (
            f"This JSON nests {self.too_deep} levels deep, too deep to lay out: shown as raw text."
        )

    @classmethod
    def of(cls, outcome: Outcome) -> FormattedBody:
        # The decoded body is acyclic and freed by reference counting as this returns, so
        # the collector has nothing to find in it; paused, it never walks those objects
        # while holding the GIL (that walk stalled the UI thread for 100+ ms).
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            pretty = pretty_lines(outcome.body)
            data = pretty.data
            formatted = cls(
                pretty.lines,
                pretty.width,
                pretty.is_json,
                links_of(data),
                page_of(outcome, data),
                sorted(dotted_names(data)) if pretty.is_json else [],
                pretty.too_deep,
            )
            del data, pretty
        finally:
            if was_enabled:
                gc.enable()
        return formatted
