"""Every catalog operation, grouped by resource, narrowed by a filter box."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from mcexplorer.core.catalog.model import Catalog, Operation

_METHOD_COLOURS = {
    "GET": "#5fafff",
    "POST": "#87af5f",
    "PUT": "#d7af5f",
    "PATCH": "#d7af5f",
    "DELETE": "#d75f5f",
}


# The sidebar is narrow: `{list_id}` shows as `{…}` (the composer shows the full template).
_PLACEHOLDER = re.compile(r"\{[^{}]+\}")


def _matches(op: Operation, words: list[str]) -> bool:
    haystack = f"{op.method} {op.path} {op.id} {op.sdk_method} {op.resource}".lower()
    return all(word in haystack for word in words)


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
            self.query_one(OptionList).focus()

    def on_key(self, event: events.Key) -> None:
        # Down from the filter goes on into the list, as Enter does.
        if event.key == "down" and self.query_one("#ops-filter", Input).has_focus:
            event.stop()
            self.query_one(OptionList).focus()

    def _refill(self, text: str) -> None:
        options = self.query_one(OptionList)
        options.clear_options()
        self._shown.clear()
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
                label = Text.assemble(
                    (f"{op.method:<6} ", f"bold {_METHOD_COLOURS.get(op.method, '')}"),
                    _PLACEHOLDER.sub("{…}", op.path),
                    no_wrap=True,
                    overflow="ellipsis",
                )
                batch.append(Option(label, id=op.id))
                self._shown[op.id] = op
        options.add_options(batch)

    @property
    def shown(self) -> list[Operation]:
        return list(self._shown.values())

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        op = self._shown.get(event.option.id or "")
        if op is not None:
            self.post_message(self.OperationChosen(op))
