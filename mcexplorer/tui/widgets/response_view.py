"""The response: a status line, then the body (pretty or as a tree), headers and links.

The body is formatted in a thread worker so a multi-megabyte page never blocks the UI;
the status line shows at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.await_complete import AwaitComplete
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, Static, TabbedContent, TabPane
from textual.widgets.option_list import Option

from mcexplorer.tui.messages import LinkFollowed
from mcexplorer.tui.widgets.json_tree import JsonTree
from mcexplorer.tui.widgets.json_view import JsonView, TooDeep, decode_body
from mcexplorer.tui.widgets.option_list import OptionList
from mcexplorer.tui.widgets.response_body import FormattedBody, Page, human_size
from mcexplorer.tui.widgets.response_search import (
    Copy,
    ResponseSearch,
    line_value,
    value_text,
    values_text,
)
from mcexplorer.tui.widgets.status_line import StatusLine

if TYPE_CHECKING:
    from mcexplorer.core.http.links import Link
    from mcexplorer.core.http.outcome import Outcome


class ResponseView(Vertical):
    """The last response (or a visited one, when going back)."""

    DEFAULT_CSS = """
    ResponseView { height: 1fr; }
    /* The pager shows over the first line's end, which the status line leaves free. */
    ResponseView #status-row { height: auto; padding: 0 1; layers: line pager; }
    ResponseView #status { layer: line; }
    ResponseView #pager { layer: pager; dock: right; width: auto; height: 1; display: none; }
    ResponseView #pager.-paged { display: block; }
    ResponseView #page { width: auto; padding: 0 1; color: $text-muted; }
    ResponseView #pager Button { min-width: 3; }
    ResponseView TabbedContent { height: 1fr; }
    ResponseView TabPane { padding: 0; }
    ResponseView #tab-headers { overflow-y: auto; }
    ResponseView #headers { padding: 0 1; }
    ResponseView #body-notice { display: none; padding: 0 1; color: $warning; }
    ResponseView #body-notice.-shown { display: block; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash,ctrl+f", "search", "Search", id="response-search"),
        Binding("n", "search_step(1)", "Next match", show=False),
        Binding("N,shift+n", "search_step(-1)", "Previous match", show=False),
        Binding("escape", "close_search", "Close search", show=False),
        Binding("y", "copy", "Copy", id="response-copy"),
        Binding("ctrl+y", "copy_body", "Copy body", id="response-copy-body", show=False),
    ]

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
        self.formatted: FormattedBody | None = None  # the shown outcome's, once formatted
        self.tree_shown_for: Outcome | None = None
        self.page: Page | None = None
        self.links: list[Link] = []
        self.mask_volatile = mask_volatile
        self._parts_mounted = False

    def compose(self) -> ComposeResult:
        with Horizontal(id="status-row"):
            yield StatusLine(id="status", mask_volatile=self.mask_volatile)
        # The pager and the tabs follow just after the first frame (`finish_layout`):
        # building and styling them held it back.

    def finish_layout(self) -> AwaitComplete:
        """Mount the pager and the tabs unless done (the explorer calls this after its
        first frame; a first response does too). Awaiting it waits until they are
        composed."""
        if self._parts_mounted:
            return AwaitComplete()
        self._parts_mounted = True
        pager = Horizontal(  # shown for a page of a collection only
            Button("◀", id="prev", compact=True, disabled=True, tooltip="Previous page"),
            Static("", id="page"),
            Button("▶", id="next", compact=True, disabled=True, tooltip="Next page"),
            id="pager",
        )
        tabs = TabbedContent(id="response-tabs")
        body = JsonView(id="json")
        for pane in (
            TabPane("Body", Static(id="body-notice", markup=False), body, id="tab-body"),
            TabPane("Tree", JsonTree("response", id="json-tree"), id="tab-tree"),
            TabPane("Headers", Static("", id="headers"), id="tab-headers"),
            TabPane("Links", OptionList(id="links"), id="tab-links"),
        ):
            tabs.compose_add_child(pane)  # what `with TabbedContent():` does in compose
        return AwaitComplete(
            self.query_one("#status-row").mount(pager),
            self.mount(ResponseSearch(body, id="search"), tabs),
        )

    @property
    def parts_ready(self) -> bool:
        """The parts `finish_layout` mounts (the pager, the tabs and their contents) are there
        to be queried."""
        return len(self.query("#json, #json-tree, #headers, #links, #search, #next")) == 6

    def show(self, outcome: Outcome) -> None:
        """Show the status at once; the body follows from a thread worker."""
        self.outcome = outcome
        self.formatted = None
        self.query_one(StatusLine).show(outcome)
        self.finish_layout()
        self._show_details(outcome)

    def _show_details(self, outcome: Outcome) -> None:
        if outcome is not self.outcome:
            return  # a newer response took its place
        if not self.parts_ready:
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
        if outcome is not self.outcome or not self.parts_ready:
            # A newer response arrived while this one was formatted, or the view is being
            # taken down (its screen closed meanwhile: the history screen on Escape).
            return
        self.formatted = body
        self.tree_shown_for = None
        notice = self.query_one("#body-notice", Static)
        notice.update(body.notice)
        notice.set_class(bool(body.notice), "-shown")
        self.query_one(JsonView).set_lines(body.lines, body.width, is_json=body.is_json)
        self.query_one(ResponseSearch).refresh_results(outcome.body)
        self.links = body.links
        link_list = self.query_one("#links", OptionList)
        link_list.clear_options()
        link_list.add_options(
            Option(Text.assemble((f"{lk.method:<6} ", "bold"), f"{lk.rel:<14} ", lk.href))
            for lk in self.links
        )
        self.page = page = body.page
        self.query_one("#pager").set_class(page is not None, "-paged")
        self.query_one("#page", Static).update(page.describe() if page else "")
        # Two 3-cell buttons, the page's padding and a space before them.
        self.query_one(StatusLine).reserve = len(page.describe()) + 9 if page else 0
        self.query_one("#prev", Button).disabled = not (page and page.has_previous)
        self.query_one("#next", Button).disabled = not (page and page.has_next)
        if self.query_one("#response-tabs", TabbedContent).active == "tab-tree":
            self._build_tree(outcome, body.notice)
        self.post_message(self.Formatted(body.field_names))

    @on(TabbedContent.TabActivated, "#response-tabs")
    def _tab_activated(self, event: TabbedContent.TabActivated) -> None:
        # Before the body is formatted, `_formatted` builds the tree when it is.
        if event.pane.id == "tab-tree" and self.outcome and self.formatted:
            self._build_tree(self.outcome, self.formatted.notice)

    @work(thread=True, exclusive=True, group="tree", description="build tree")
    def _build_tree(self, outcome: Outcome, notice: str) -> None:
        """The tree needs the decoded body, which is kept only while the tree shows it."""
        if self.tree_shown_for is outcome:
            return
        data = None if notice else decode_body(outcome.body)
        self.app.call_from_thread(self._show_tree, outcome, data, notice)

    def _show_tree(self, outcome: Outcome, data: Any, notice: str) -> None:
        if outcome is self.outcome and self.parts_ready:
            self.tree_shown_for = outcome
            self.query_one(JsonTree).show(data, empty=notice or "(no JSON body)")

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

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("search", "copy", "copy_body"):
            return self.formatted is not None
        if action == "search_step":
            return self.parts_ready and bool(self.query_one(ResponseSearch).matches)
        if action == "close_search":  # else Escape goes on to the screen
            return self.parts_ready and self.query_one(ResponseSearch).is_open
        return True

    def action_search(self) -> None:
        self.query_one("#response-tabs", TabbedContent).active = "tab-body"
        self.query_one(ResponseSearch).open()

    def action_search_step(self, direction: int) -> None:
        self.query_one("#response-tabs", TabbedContent).active = "tab-body"
        self.query_one(ResponseSearch).action_step(direction)

    def action_close_search(self) -> None:
        self.query_one(ResponseSearch).action_close()

    def action_copy(self) -> None:
        """Copy what is chosen: a path search's values, the tree's node, or the value on
        the body's cursor line (a click or the current match puts it there)."""
        search = self.query_one(ResponseSearch)
        tree = self.query_one(JsonTree)
        try:
            if search.is_open and search.values:
                count = len(search.values)
                what = f"{count} value{'s' if count != 1 else ''} at {search.query_text.strip()}"
                self._copy(values_text(search.values), what)
            elif self.query_one("#response-tabs", TabbedContent).active == "tab-tree" and (
                tree.cursor_node is not None and tree.cursor_node.data is not None
            ):
                self._copy(value_text(tree.cursor_node.data), "the tree's value")
            elif (line := self.query_one(JsonView).cursor_line) is not None:
                text = self.query_one(JsonView).lines[line]
                self._copy(line_value(text), f"the value on line {line + 1}")
            else:
                self.notify(
                    "Nothing chosen to copy: click a line, search with / or pick a node in"
                    " the Tree tab. Ctrl+Y copies the whole body.",
                    severity="warning",
                )
        except TooDeep:
            self.notify("That value nests too deeply to copy as JSON.", severity="warning")

    def action_copy_body(self) -> None:
        self._copy(self.query_one(JsonView).text, "the whole body")

    @on(Copy)
    def _copy_message(self, message: Copy) -> None:
        message.stop()
        self._copy(message.text, message.what)

    def _copy(self, text: str, what: str) -> None:
        self.app.copy_to_clipboard(text)
        size = human_size(len(text.encode("utf-8")))
        # No markup: `what` may quote a search such as members[0].
        self.notify(f"Copied {what} ({size}).", timeout=4, markup=False)

    @on(ResponseSearch.Closed)
    def _search_closed(self, message: ResponseSearch.Closed) -> None:
        message.stop()
        self.query_one(JsonView).focus()
