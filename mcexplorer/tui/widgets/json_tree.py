"""A collapsible tree of a JSON body; children are built only when a node is opened."""

from __future__ import annotations

import json
from typing import Any

from rich.text import Text
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

# Opening a 1,000-item array adds this many nodes at most, then one "… more" leaf.
MAX_CHILDREN = 200
# Nodes nest this deep at most: Tree lays out its open nodes recursively, and a hostile
# body nests thousands of levels (the Body tab shows the rest).
MAX_DEPTH = 100


def _scalar(value: Any) -> Text:
    if isinstance(value, str):
        shown = value if len(value) <= 80 else value[:77] + "…"
        return Text(json.dumps(shown, ensure_ascii=False), style="#87af5f")
    if isinstance(value, bool) or value is None:
        return Text("null" if value is None else str(value).lower(), style="#af87d7")
    return Text(str(value), style="#d7875f")


def _empty(value: dict[str, Any] | list[Any]) -> Text:
    return Text("{}" if isinstance(value, dict) else "[]", style="dim")


def _summary(value: Any) -> str:
    if isinstance(value, dict):
        return f"{{…}} {len(value)} keys"
    return f"[…] {len(value)} items"


def _depth(node: TreeNode[Any]) -> int:
    depth = 0
    while node.parent is not None:
        node, depth = node.parent, depth + 1
    return depth


class JsonTree(Tree[Any]):
    """Objects and arrays as expandable nodes; scalars as `key: value` leaves."""

    DEFAULT_CSS = """
    JsonTree { background: $surface; }
    """

    def show(self, data: Any, *, empty: str = "(no JSON body)") -> None:
        """The tree of `data`; `empty` is what the root says when there is no JSON."""
        self.clear()
        self.root.data = data
        if isinstance(data, dict | list):
            self.root.set_label(_summary(data))
            self._fill(self.root, data)
            self.root.expand()
        else:
            self.root.set_label(_scalar(data) if data is not None else empty)

    def _fill(self, node: TreeNode[Any], value: Any) -> None:
        items = list(value.items()) if isinstance(value, dict) else list(enumerate(value))
        for key, child in items[:MAX_CHILDREN]:
            label = Text.assemble((str(key), "bold"), ": ")
            if isinstance(child, dict | list) and child:
                label.append(_summary(child), style="dim")
                node.add(label, data=child, allow_expand=True)
            else:
                label.append_text(
                    _scalar(child) if not isinstance(child, dict | list) else _empty(child)
                )
                node.add_leaf(label, data=child)  # what the response's copy key copies
        if len(items) > MAX_CHILDREN:
            node.add_leaf(Text(f"… {len(items) - MAX_CHILDREN} more", style="dim italic"))

    def on_tree_node_expanded(self, event: Tree.NodeExpanded[Any]) -> None:
        node = event.node
        if node is self.root or node.children or not isinstance(node.data, dict | list):
            return
        if _depth(node) < MAX_DEPTH:
            self._fill(node, node.data)
        else:
            node.add_leaf(Text(f"… nested deeper than {MAX_DEPTH} levels", style="dim italic"))
