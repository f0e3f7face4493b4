"""What every dialog shares: the box in the middle, and it answers once."""

from __future__ import annotations

from typing import TypeVar

from textual.screen import ModalScreen

from mcexplorer.tui.screens.closing import ClosesOnce

T = TypeVar("T")


class Dialog(ModalScreen[T], ClosesOnce[T]):
    """A box in the middle of the screen, its buttons at the bottom right."""

    DEFAULT_CSS = """
    Dialog {
        align: center middle;
        .dialog-box { width: 72; max-width: 100%; height: auto; border: round $accent;
                      padding: 1 2; background: $surface; }
        .dialog-buttons { height: auto; margin: 1 0 0 0; align-horizontal: right; }
        .dialog-buttons Button { margin: 0 0 0 1; }
    }
    """
