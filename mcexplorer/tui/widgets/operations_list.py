"""Every catalog operation, grouped by resource, narrowed by a filter box.

Each row is the method, the whole path (wrapped at its slashes, never cut, so no two rows
read the same) and the summary, fitted to the list's width again when that changes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input
from textual.widgets.option_list import Option

from mcexplorer.core.catalog.model import Catalog, Operation
from mcexplorer.tui.widgets.option_list import OptionList

_METHOD_COLOURS = {
    "GET": "#5fafff",
    "POST": "#87af5f",
    "PUT": "#d7af5f",
    "PATCH": "#d7af5f",
    "DELETE": "#d75f5f",
}


# The sidebar is narrow: `{list_id}` shows as `{…}` (the composer shows the full template).
_PLACEHOLDER = re.compile(r"\{[^{}]+\}")
_METHOD_WIDTH = 7  # "DELETE "
_MIN_WIDTH = _METHOD_WIDTH + 8  # below this, rows are laid out as if this wide
_BORDER = 2  # OptionList's own CSS gives it a tall border while it has focus


def _matches(op: Operation, words: list[str]) -> bool:
    haystack = f"{op.method} {op.path} {op.id} {op.sdk_method} {op.resource} {op.summary}"
    return all(word in haystack.lower() for word in words)


def wrap_path(path: str, width: int) -> list[str]:
    """`path` in lines of at most `width`, broken before a slash where it can be."""
    lines: list[str] = []
    line = ""
    for piece in re.split(r"(?=/)", path):
        while len(piece) > width:  # one segment longer than a line: cut it
            if line:
                lines.append(line)
                line = ""
            lines.append(piece[:width])
            piece = piece[width:]
        if line and len(line) + len(piece) > width:
            lines.append(line)
            line = ""
        line += piece
    return [*lines, line] if line or not lines else lines


def operation_row(op: Operation, width: int) -> Text:
    """An operation's row at `width` cells: method and wrapped path, then its summary."""
    width = max(width, _MIN_WIDTH)
    indent = " " * _METHOD_WIDTH
    path_lines = wrap_path(_PLACEHOLDER.sub("{…}", op.path), width - _METHOD_WIDTH)
    row = Text.assemble(
        (f"{op.method:<{_METHOD_WIDTH}}", f"bold {_METHOD_COLOURS.get(op.method, '')}"),
        f"\n{indent}".join(path_lines),
    )
    if op.summary:
        summary = op.summary if len(op.summary) <= width - 2 else op.summary[: width - 3] + "…"
        row.append(f"\n  {summary}", style="dim")
    return row


class OperationsList(Vertical):
    """A filter Input over an OptionList; choosing an operation posts OperationChosen."""

    DEFAULT_CSS = """
    OperationsList { height: 1fr; }
    OperationsList > Input { margin-bottom: 0; }
    OperationsList > OptionList {
        height: 1fr;
        border: none;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    @dataclass
    class OperationChosen(Message):
        operation: Operation

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.catalog: Catalog | None = None
        self._shown: dict[str, Operation] = {}
        self._row_width = 0  # the width rows were last laid out for

    def compose(self) -> ComposeResult:
        yield Input(placeholder="filter: members post…", id="ops-filter", compact=True)
        yield OptionList(id="ops-options")

    def on_mount(self) -> None:
        # Mounted after first paint: the catalog may already be there.
        catalog = getattr(self.screen, "catalog", None)
        if isinstance(catalog, Catalog):
            self.set_catalog(catalog)

    def set_catalog(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self._refill(self.query_one("#ops-filter", Input).value)

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "ops-filter":
            event.stop()
            self._refill(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "ops-filter":
            event.stop()
            self._into_list()

    def _into_list(self) -> None:
        """Focus the list with a row highlighted, so the next Enter chooses something."""
        options = self.query_one(OptionList)
        options.focus()
        if options.highlighted is None:
            options.action_first()

    @property
    def row_width(self) -> int:
        """Cells a row's text has. The border the list shows when focused and its scrollbar
        are reserved even when absent, so focus and filtering never cut a row."""
        options = self.query_one(OptionList)
        styles = options.styles
        option = options.get_component_styles("option-list--option").padding.width
        chrome = styles.padding.width + _BORDER + styles.scrollbar_size_vertical + option
        return options.size.width - chrome

    def on_resize(self, event: events.Resize) -> None:
        if self.row_width != self._row_width:
            self._refill(self.query_one("#ops-filter", Input).value)

    def on_key(self, event: events.Key) -> None:
        # Down from the filter goes on into the list, as Enter does.
        if event.key == "down" and self.query_one("#ops-filter", Input).has_focus:
            event.stop()
            self._into_list()

    def _refill(self, text: str) -> None:
        options = self.query_one(OptionList)
        highlighted = options.highlighted_option
        options.clear_options()
        self._shown.clear()
        self._row_width = width = self.row_width
        if self.catalog is None:
            return
        words = text.lower().split()
        batch: list[Option] = []
        for resource, ops in self.catalog.by_resource().items():
            shown = [op for op in ops if _matches(op, words)]
            if not shown:
                continue
            batch.append(Option(Text(resource, style="bold underline"), disabled=True))
            for op in shown:
                batch.append(Option(operation_row(op, width), id=op.id))
                self._shown[op.id] = op
        options.add_options(batch)
        if highlighted is not None and highlighted.id in self._shown:  # a re-layout
            options.highlighted = options.get_option_index(highlighted.id or "")

    @property
    def shown(self) -> list[Operation]:
        return list(self._shown.values())

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        op = self._shown.get(event.option.id or "")
        if op is not None:
            self.post_message(self.OperationChosen(op))
