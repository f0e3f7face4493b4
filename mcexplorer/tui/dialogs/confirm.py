"""The one yes/no dialog: a question with a cautious default (Escape answers no)."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Static

from mcexplorer.tui.dialogs.base import Dialog


class ConfirmDialog(Dialog[bool]):
    """Dismisses with True for the yes button, False for the other one or Escape."""

    DEFAULT_CSS = """
    ConfirmDialog.-danger .dialog-box { border: round $error; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "answer(False)", "No")]

    def __init__(
        self, question: str | Content, yes: str = "Yes", no: str = "Cancel", *, danger: bool = False
    ) -> None:
        super().__init__(classes="-danger" if danger else "")
        self.question = str(question)
        self._content = question if isinstance(question, Content) else Content(question)
        self.yes, self.no = yes, no
        self.danger = danger

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Static(self._content)
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.no, id="no")
                yield Button(self.yes, id="yes", variant="error" if self.danger else "warning")

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)
