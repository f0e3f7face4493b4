"""Option lists (and the picker built on one) that page safely before they are laid out.

Textual 8's OptionList pages from a line map that stays empty until the list has been laid
out: PageUp/PageDown on a list just shown (the Links tab after Ctrl+L, a picker just opened,
a filtered list, the command palette's list just opened) raised KeyError and ended the app
(tui-monkey). Every option list and picker in the TUI is one of these, and the command
palette passes page keys on to its list only once the list is laid out.
"""

from __future__ import annotations

from textual._widget_navigation import Direction
from textual.app import ComposeResult
from textual.command import CommandList
from textual.command import CommandPalette as TextualCommandPalette
from textual.widgets import OptionList as TextualOptionList
from textual.widgets import Select
from textual.widgets._select import SelectCurrent
from textual.widgets._select import SelectOverlay as TextualSelectOverlay


class _PagesWhenLaidOut:
    _index_to_line: dict[int, int]

    def _move_page(self, direction: Direction) -> None:
        if _has_lines(self):  # nothing drawn yet: nothing to page through
            super()._move_page(direction)  # type: ignore[misc]


def _has_lines(options: _PagesWhenLaidOut | TextualOptionList) -> bool:
    """Whether the list has been laid out: paging needs its line map."""
    return bool(options._index_to_line)


class OptionList(_PagesWhenLaidOut, TextualOptionList):
    pass


class SelectOverlay(_PagesWhenLaidOut, TextualSelectOverlay):
    pass


class CommandPalette(TextualCommandPalette):
    def _action_command_list(self, action: str) -> None:
        if action.startswith("page_") and not _has_lines(self.query_one(CommandList)):
            return
        super()._action_command_list(action)


class Picker(Select[str]):
    """A Select whose list survives PageUp/PageDown before it is drawn, and whose label
    shows a value set before it was mounted."""

    def compose(self) -> ComposeResult:
        yield SelectCurrent(self.prompt)
        yield SelectOverlay(type_to_search=self._type_to_search).data_bind(compact=Select.compact)

    def on_mount(self) -> None:
        # Runs just before Select's own mount handler, which sets the value it was last
        # given once more to draw its label: the same value again would change nothing.
        # (mypy cannot type a generic class's reactive; this is Textual's own idiom.)
        self.set_reactive(Picker.value, Select.NULL)  # type: ignore[misc]
