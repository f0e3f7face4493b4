"""The composer's body editor: a JSON TextArea that reports every change at once.

Imported only when a body is first wanted (TextArea costs ~10 ms to import). Changes go
to the draft synchronously, so a Ctrl+S right after a keystroke sends that keystroke.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import TextArea


class BodyEditor(TextArea):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+a", "select_all", "Select all", show=False),
        Binding("ctrl+end", "go_to_end", "End", show=False),
    ]

    def __init__(
        self, on_change: Callable[[str], None], on_cursor: Callable[[int], None], **kw: object
    ) -> None:
        super().__init__("", show_line_numbers=False, soft_wrap=False, **kw)  # type: ignore[arg-type]
        self._report_change = on_change
        self._report_cursor = on_cursor

    def post_message(self, message: Message) -> bool:
        if isinstance(message, TextArea.Changed):
            self._report_change(self.text)
        elif isinstance(message, TextArea.SelectionChanged):
            self._report_cursor(self.cursor_offset())
        return super().post_message(message)

    def cursor_offset(self) -> int:
        row, column = self.cursor_location
        lines = self.text.split("\n")
        return sum(len(line) + 1 for line in lines[:row]) + column

    def action_go_to_end(self) -> None:
        self.move_cursor(self.document.end)
