"""The response: a status line, then the body (pretty or as a tree), headers and links.

The body is formatted in a thread worker so a multi-megabyte page never blocks the UI;
the status line shows at once.
"""

from __future__ import annotations

import gc
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.await_complete import AwaitComplete
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, OptionList, Static, TabbedContent, TabPane
from textual.widgets.option_list import Option

from mcexplorer.core.http.links import Link, links_of
from mcexplorer.tui.messages import LinkFollowed
from mcexplorer.tui.widgets.json_tree import JsonTree
from mcexplorer.tui.widgets.json_view import JsonView, pretty_lines
from mcexplorer.tui.widgets.resource_map import collection_items

if TYPE_CHECKING:
    from mcexplorer.core.http.outcome import Outcome

# Dotted names of a response for `fields=` suggestions: a few items show a collection's shape.
_SAMPLED_ITEMS = 3


def dotted_names(value: Any, prefix: str = "") -> set[str]:
    names: set[str] = set()
    if isinstance(value, dict):
        for key, child in value.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            names.add(name)
            names |= dotted_names(child, name)
    elif isinstance(value, list):
        for child in value[:_SAMPLED_ITEMS]:
            names |= dotted_names(child, prefix)
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


def status_text(outcome: Outcome, *, mask_volatile: bool = False) -> Text:
    """`200 OK  GET /lists  123 ms  4.5 KB  X-Request-Id …` for the status line."""
    if outcome.status is None:
        head = Text("no response", style="bold red")
    else:
        style = "bold green" if outcome.ok else "bold red"
        head = Text(str(outcome.status), style=style)
    if outcome.unknown_outcome:
        head.append("  outcome unknown", style="bold #d7af5f")
    elapsed = "… ms" if mask_volatile else f"{outcome.elapsed_ms:.0f} ms"
    request_id = "…" if mask_volatile else (outcome.x_request_id or "none")
    url = urlsplit(outcome.url)
    target = url.path + (f"?{url.query}" if url.query else "")
    head.append(f"  {outcome.method} {target}", style="bold")
    head.append(f"  {elapsed}  {human_size(len(outcome.body))}", style="")
    head.append(f"  id {request_id}", style="dim")
    message_id = outcome.headers.get("x-message-id")  # MailerSend's handle on a sent email
    if message_id:
        head.append(f"  message {'…' if mask_volatile else message_id}", style="bold")
    return head


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

    @classmethod
    def of(cls, outcome: Outcome) -> FormattedBody:
        # The decoded body is acyclic and freed by reference counting as this returns, so
        # the collector has nothing to find in it; paused, it never walks those objects
        # while holding the GIL (that walk stalled the UI thread for 100+ ms).
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            lines, width, data, is_json = pretty_lines(outcome.body)
            formatted = cls(
                lines,
                width,
                is_json,
                links_of(data),
                page_of(outcome, data),
                sorted(dotted_names(data)) if is_json else [],
            )
            del data
        finally:
            if was_enabled:
                gc.enable()
        return formatted


class ResponseView(Vertical):
    """The last response (or a visited one, when going back)."""

    DEFAULT_CSS = """
    ResponseView { height: 1fr; }
    ResponseView #status-row { height: 1; padding: 0 1; }
    ResponseView #status { width: 1fr; }
    ResponseView #page { width: auto; padding: 0 1; color: $text-muted; }
    ResponseView #status-row Button { min-width: 6; }
    ResponseView TabbedContent { height: 1fr; }
    ResponseView TabPane { padding: 0; }
    ResponseView #tab-headers { overflow-y: auto; }
    ResponseView #headers { padding: 0 1; }
    """

    @dataclass
    class Formatted(Message):
        """The body is on screen; its dotted field names feed the composer's suggestions."""

        field_names: list[str]

    @dataclass
    class PageRequested(Message):
        offset: int
        count: int

    def __init__(self, *, id: str | None = None, mask_volatile: bool = False) -> None:
        super().__init__(id=id)
        self.outcome: Outcome | None = None
        self.tree_shown_for: Outcome | None = None
        self.page: Page | None = None
        self.links: list[Link] = []
        self.mask_volatile = mask_volatile
        self._tabs_mounted = False

    def compose(self) -> ComposeResult:
        with Horizontal(id="status-row"):
            yield Static(
                "No request sent yet. Pick a resource or an operation, then Ctrl+S.", id="status"
            )
            yield Button("◀ prev", id="prev", compact=True, disabled=True)
            yield Static("", id="page")
            yield Button("next ▶", id="next", compact=True, disabled=True)
        # The tabs follow just after the first frame (`finish_layout`): building and
        # styling them held it back.

    def finish_layout(self) -> AwaitComplete:
        """Mount the tabs unless done (the explorer calls this after its first frame; a
        first response does too). Awaiting it waits until they are composed."""
        if self._tabs_mounted:
            return AwaitComplete()
        self._tabs_mounted = True
        tabs = TabbedContent(id="response-tabs")
        for pane in (
            TabPane("Body", JsonView(id="json"), id="tab-body"),
            TabPane("Tree", JsonTree("response", id="json-tree"), id="tab-tree"),
            TabPane("Headers", Static("", id="headers"), id="tab-headers"),
            TabPane("Links", OptionList(id="links"), id="tab-links"),
        ):
            tabs.compose_add_child(pane)  # what `with TabbedContent():` does in compose
        return AwaitComplete(self.mount(tabs))

    @property
    def tabs_ready(self) -> bool:
        """The tabs and their contents are there to be queried."""
        return len(self.query("#json, #json-tree, #headers, #links")) == 4

    def show(self, outcome: Outcome) -> None:
        """Show the status at once; the body follows from a thread worker."""
        self.outcome = outcome
        self.query_one("#status", Static).update(
            status_text(outcome, mask_volatile=self.mask_volatile)
        )
        self.finish_layout()
        self._show_details(outcome)

    def _show_details(self, outcome: Outcome) -> None:
        if outcome is not self.outcome:
            return  # a newer response took its place
        if not self.tabs_ready:
            self.call_after_refresh(self._show_details, outcome)
            return
        headers = Text()
        for name, value in sorted(outcome.headers.items()):
            headers.append(f"{name}: ", style="bold")
            headers.append(f"{value}\n")
        self.query_one("#headers", Static).update(headers)
        self._format(outcome)

    # Named: the default description reprs the outcome, a multi-MB body taking ~30 ms.
    @work(thread=True, exclusive=True, group="format", description="format body")
    def _format(self, outcome: Outcome) -> None:
        body = FormattedBody.of(outcome)
        self.app.call_from_thread(self._formatted, outcome, body)

    def _formatted(self, outcome: Outcome, body: FormattedBody) -> None:
        if outcome is not self.outcome:
            return  # a newer response arrived while this one was formatted
        self.tree_shown_for = None
        self.query_one(JsonView).set_lines(body.lines, body.width, is_json=body.is_json)
        self.links = body.links
        link_list = self.query_one("#links", OptionList)
        link_list.clear_options()
        link_list.add_options(
            Option(Text.assemble((f"{lk.method:<6} ", "bold"), f"{lk.rel:<14} ", lk.href))
            for lk in self.links
        )
        self.page = page = body.page
        self.query_one("#page", Static).update(page.describe() if page else "")
        self.query_one("#prev", Button).disabled = not (page and page.has_previous)
        self.query_one("#next", Button).disabled = not (page and page.has_next)
        if self.query_one("#response-tabs", TabbedContent).active == "tab-tree":
            self._build_tree(outcome)
        self.post_message(self.Formatted(body.field_names))

    @on(TabbedContent.TabActivated, "#response-tabs")
    def _tab_activated(self, event: TabbedContent.TabActivated) -> None:
        if event.pane.id == "tab-tree" and self.outcome is not None:
            self._build_tree(self.outcome)

    @work(thread=True, exclusive=True, group="tree", description="build tree")
    def _build_tree(self, outcome: Outcome) -> None:
        """The tree needs the decoded body, which is kept only while the tree shows it."""
        if self.tree_shown_for is outcome:
            return
        data = outcome.json() if outcome.body else None
        self.app.call_from_thread(self._show_tree, outcome, data)

    def _show_tree(self, outcome: Outcome, data: Any) -> None:
        if outcome is self.outcome:
            self.tree_shown_for = outcome
            self.query_one(JsonTree).show(data)

    @on(OptionList.OptionSelected, "#links")
    def _link_chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        link = self.links[event.option_index]
        self.post_message(LinkFollowed(link.href, link.method))

    @on(Button.Pressed, "#prev")
    def _previous(self, event: Button.Pressed) -> None:
        event.stop()
        self.turn_page(-1)

    @on(Button.Pressed, "#next")
    def _next(self, event: Button.Pressed) -> None:
        event.stop()
        self.turn_page(1)

    def turn_page(self, direction: int) -> bool:
        page = self.page
        if page is None or (direction < 0 and not page.has_previous):
            return False
        if direction > 0 and not page.has_next:
            return False
        offset = max(0, page.offset + direction * page.count)
        self.post_message(self.PageRequested(offset, page.count))
        return True
