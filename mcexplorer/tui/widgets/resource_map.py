"""The resource map: a tree walked through the API's own `_links`, loaded as nodes open.

The root's links give the top-level resources; opening a GET node fetches it and adds
its links (each with its method) and, for a collection, its items. When the root has no
links (Mailchimp says they may go away), the catalog's top-level collections stand in.
An API without a root (MailerSend) gets its first level from the catalog alone.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from rich.text import Text
from textual import work
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from mcexplorer.core.http.links import Link, links_of, split_href
from mcexplorer.tui.messages import LinkFollowed

if TYPE_CHECKING:
    from mcexplorer.core.catalog.model import Catalog

# Links that point back up or at the node itself add nothing to a tree.
_SKIPPED_RELS = frozenset({"self", "parent", "up"})
_ITEM_NAME_KEYS = ("name", "email_address", "title", "subject_line", "id")
MAX_ITEMS = 100

# Fetch a path (with query) and return its decoded JSON, or None when it failed.
Fetcher = Callable[[str, dict[str, str]], Awaitable[Any]]


@dataclass
class MapEntry:
    rel: str
    method: str
    path: str  # relative to the API base: requests never leave the configured host
    query: dict[str, str] = field(default_factory=dict)
    loaded: bool = False
    more: bool = False  # "more…": the next page of its parent's items, loaded in place

    @property
    def href(self) -> str:
        return self.path + ("?" + urlencode(self.query) if self.query else "")


def _label(name: str, method: str) -> Text:
    text = Text(name)
    if method != "GET":
        text.append(f"  {method}", style="bold #d7875f")
    return text


def _item_name(item: dict[str, Any]) -> str:
    for key in _ITEM_NAME_KEYS:
        value = item.get(key)
        if isinstance(value, str | int) and str(value):
            return str(value)
    settings = item.get("settings")
    if isinstance(settings, dict) and isinstance(settings.get("title"), str):
        return str(settings["title"])
    return "item"


def collection_items(body: Any) -> list[dict[str, Any]]:
    """The items of a collection body: the one list of objects besides `_links`."""
    if not isinstance(body, dict):
        return []
    for key, value in body.items():
        if key != "_links" and isinstance(value, list) and all(isinstance(v, dict) for v in value):
            return value
    return []


class ResourceMap(Tree[MapEntry]):
    """Resources as the API links them; selecting a node posts LinkFollowed."""

    DEFAULT_CSS = """
    ResourceMap { background: $surface; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("API root", id=id)
        self.fetch: Fetcher | None = None
        self.show_root = True
        self.guide_depth = 3
        self._shown_root: Any = None

    def populate_root(self, body: Any, fallback_paths: list[str]) -> None:
        """Fill the first level from the root body (or the fallback paths) and open it.
        The same root again (fetched early, then by the session) keeps what was opened."""
        if body is not None and body == self._shown_root and self.root.children:
            return
        self._shown_root = body
        self.clear()
        self.root.data = MapEntry("root", "GET", "/", loaded=True)
        if isinstance(body, dict) and isinstance(body.get("account_name"), str):
            self.root.set_label(Text(body["account_name"], style="bold"))
        links = [lk for lk in links_of(body) if lk.rel not in _SKIPPED_RELS]
        if not links:
            links = [Link(rel=p.strip("/"), href=p) for p in fallback_paths]
        for link in links:
            self._add_link(self.root, link)
        self.root.expand()

    def populate_catalog(self, title: str, catalog: Catalog) -> None:
        """Fill the first level with every operation whose path takes no parameter; paths
        deeper than one segment (/analytics/date) sit in a folder named by the first."""
        self._shown_root = None
        self.clear()
        self.root.data = MapEntry("root", "GET", "/", loaded=True)
        self.root.set_label(Text(title, style="bold"))
        fixed = sorted(
            (op for op in catalog.operations if "{" not in op.path),
            key=lambda op: (op.path, op.method != "GET", op.method),
        )
        folders: dict[str, TreeNode[MapEntry]] = {}
        for op in fixed:
            head, _, rest = op.path.strip("/").partition("/")
            parent = self.root
            if rest:
                if head not in folders:  # no data: a folder to open, not a resource to fetch
                    folders[head] = self.root.add(head)
                parent = folders[head]
            self._add_link(parent, Link(rel=rest or head, href=op.path, method=op.method))
        self.root.expand()

    def _add_link(self, node: TreeNode[MapEntry], link: Link) -> None:
        path, query = split_href(link.href)
        entry = MapEntry(link.rel, link.method, path, query)
        if link.method == "GET":
            node.add(_label(link.rel, link.method), data=entry, allow_expand=True)
        else:
            node.add_leaf(_label(link.rel, link.method), data=entry)

    def add_children(self, node: TreeNode[MapEntry], body: Any) -> None:
        """Children of an opened node: its links, then (for a collection) its items."""
        entry = node.data
        if entry is None:
            return
        for link in links_of(body):
            if link.rel not in _SKIPPED_RELS:
                self._add_link(node, link)
        self._add_items(node, entry, body)
        if not node.children:
            node.allow_expand = False

    def _add_items(self, node: TreeNode[MapEntry], entry: MapEntry, body: Any) -> None:
        """A collection's items, then "more…" when the collection goes on past them."""
        items = collection_items(body)
        for item in items[:MAX_ITEMS]:
            self_link = next((lk for lk in links_of(item) if lk.rel == "self"), None)
            if self_link is not None:
                href = self_link.href
            elif "id" in item:
                href = f"{entry.path.rstrip('/')}/{item['id']}"
            else:
                continue
            child = MapEntry(_item_name(item), "GET", split_href(href)[0])
            node.add(Text(_item_name(item), style="italic"), data=child, allow_expand=True)
        if len(items) > MAX_ITEMS:
            node.add_leaf(Text(f"… {len(items) - MAX_ITEMS} more", style="dim"))
            return
        total = body.get("total_items") if isinstance(body, dict) else None
        try:
            offset = int(entry.query.get("offset", "0"))
        except ValueError:
            return
        shown = offset + len(items)
        if items and isinstance(total, int) and shown < total:
            query = {**entry.query, "offset": str(shown), "count": str(len(items))}
            more = MapEntry("more", "GET", entry.path, query, more=True)
            node.add_leaf(Text(f"more… ({shown} of {total})", style="dim italic"), data=more)

    def on_tree_node_expanded(self, event: Tree.NodeExpanded[MapEntry]) -> None:
        entry = event.node.data
        if entry is not None and not entry.loaded and self.fetch is not None:
            entry.loaded = True  # one load at a time per node
            label = (
                Text(str(event.node.label))
                if isinstance(event.node.label, str)
                else event.node.label.copy()
            )
            event.node.set_label(Text.assemble(label, (" …", "dim")))
            self._load(event.node, label)

    @work(exclusive=False, group="map")
    async def _load(self, node: TreeNode[MapEntry], label: Text) -> None:
        entry = node.data
        if entry is None or self.fetch is None:
            return
        body = await self.fetch(entry.path, entry.query)
        if body is None:
            entry.loaded = False
            node.set_label(Text.assemble(label, (" (failed)", "red")))
            node.collapse()
            return
        node.set_label(label)
        self.add_children(node, body)

    @work(exclusive=False, group="map")
    async def _load_more(self, node: TreeNode[MapEntry]) -> None:
        """Replace the "more…" leaf with the next page of its parent's items."""
        entry, parent = node.data, node.parent
        if entry is None or parent is None or self.fetch is None or entry.loaded:
            return
        entry.loaded = True  # Enter pressed twice loads the page once
        node.set_label(Text("loading…", style="dim italic"))
        body = await self.fetch(entry.path, entry.query)
        if body is None:
            entry.loaded = False
            node.set_label(Text("more… (failed: Enter to retry)", style="red"))
            return
        node.remove()
        self._add_items(parent, entry, body)

    def on_tree_node_selected(self, event: Tree.NodeSelected[MapEntry]) -> None:
        entry = event.node.data
        if entry is not None and entry.more:
            self._load_more(event.node)
        elif entry is not None:
            self.post_message(LinkFollowed(entry.href, entry.method))
