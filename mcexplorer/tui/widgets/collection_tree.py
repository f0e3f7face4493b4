"""The saved requests of a collection as a tree: folders, requests, and files that failed.

A file that cannot be read stays in the tree as a red leaf naming the file, line and cause,
so one bad file never hides the others. The request open in the composer carries "●" while
the composer holds changes not yet saved.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from mcexplorer.core.collections.format import CollectionFileError
from mcexplorer.core.collections.store import Collection, CollectionItem

DIRTY_MARK = "●"
_METHOD_STYLES = {
    "GET": "bold green",
    "POST": "bold yellow",
    "PUT": "bold blue",
    "PATCH": "bold magenta",
    "DELETE": "bold red",
}

NodeData = CollectionItem | CollectionFileError | None


def error_label(error: CollectionFileError, root: Path) -> Text:
    """`⚠ broken.request.json:3 not valid JSON (…)`: file relative to the root, then line."""
    try:
        where = Path(error.path).relative_to(root).as_posix()
    except ValueError:
        where = error.path
    if error.line is not None:
        where += f":{error.line}"
    return Text.assemble(("⚠ ", "bold red"), (where, "red"), " ", (error.reason, "italic"))


def item_label(item: CollectionItem, *, dirty: bool = False) -> Text:
    method = item.saved.request.method.upper()
    label = Text.assemble((f"{method:<6} ", _METHOD_STYLES.get(method, "bold")), item.name)
    if dirty:
        label.append(f" {DIRTY_MARK}", style="bold #d7af5f")
    return label


def _error_folder(error: CollectionFileError, root: Path) -> tuple[str, ...]:
    try:
        return PurePosixPath(Path(error.path).relative_to(root).as_posix()).parent.parts
    except ValueError:
        return ()


class CollectionTree(Tree[NodeData]):
    """Enter opens a request in the composer (or, on a bad file, shows its whole error);
    r renames, d duplicates, Delete removes."""

    DEFAULT_CSS = """
    CollectionTree { height: 1fr; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "screen.rename_request", "Rename", show=False),
        Binding("d", "screen.duplicate_request", "Duplicate", show=False),
        Binding("delete", "screen.delete_request", "Delete", show=False),
    ]

    @dataclass
    class RequestChosen(Message):
        """The user opened a saved request (Enter or a click)."""

        item: CollectionItem

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("collection", id=id)
        self.collection: Collection | None = None
        self.dirty: PurePosixPath | None = None
        self.show_root = False
        self.guide_depth = 2

    def show_collection(self, collection: Collection | None, problem: str = "") -> None:
        """Rebuild from a loaded collection (or say why there is none), keeping the cursor."""
        current = self.selected_item
        self.collection = collection
        self.clear()
        if collection is None:
            self.root.add_leaf(Text(problem or "No collection.", style="italic"))
            return
        self.root.label = collection.name
        folders: dict[tuple[str, ...], TreeNode[NodeData]] = {(): self.root}

        def folder(parts: tuple[str, ...]) -> TreeNode[NodeData]:
            if parts not in folders:
                parent = folder(parts[:-1])
                folders[parts] = parent.add(Text(parts[-1] + "/", style="bold"), expand=True)
            return folders[parts]

        for parts in collection.folders():
            folder(parts)
        for item in collection.items:
            node = folder(item.folder).add_leaf(
                item_label(item, dirty=item.rel == self.dirty), data=item
            )
            if current is not None and item.rel == current.rel:
                self.call_after_refresh(self.move_cursor, node)
        for error in collection.errors:
            folder(_error_folder(error, collection.root)).add_leaf(
                error_label(error, collection.root), data=error
            )
        if not collection.items and not collection.errors:
            self.root.add_leaf(
                Text(f"No saved requests yet in {collection.root}. F4 saves one.", style="italic")
            )
        self.root.expand()

    def node_of(self, rel: PurePosixPath) -> TreeNode[NodeData] | None:
        stack = [self.root]
        while stack:
            node = stack.pop()
            if isinstance(node.data, CollectionItem) and node.data.rel == rel:
                return node
            stack.extend(node.children)
        return None

    def set_dirty(self, rel: PurePosixPath | None) -> None:
        """Mark the request open in the composer as changed (or nothing, with None)."""
        previous, self.dirty = self.dirty, rel
        for changed in {previous, rel} - {None}:
            assert changed is not None
            node = self.node_of(changed)
            if node is not None and isinstance(node.data, CollectionItem):
                node.set_label(item_label(node.data, dirty=changed == rel))

    @property
    def selected_item(self) -> CollectionItem | None:
        node = self.cursor_node
        return node.data if node is not None and isinstance(node.data, CollectionItem) else None

    @on(Tree.NodeSelected)
    def _chosen(self, event: Tree.NodeSelected[NodeData]) -> None:
        event.stop()
        data = event.node.data
        if isinstance(data, CollectionItem):
            self.post_message(self.RequestChosen(data))
        elif isinstance(data, CollectionFileError):  # the sidebar cuts long reasons short
            self.notify(str(data), title="Cannot read this file", severity="error", markup=False)
