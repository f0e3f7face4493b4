"""What every dialog shares: it answers once."""

from __future__ import annotations

from typing import TypeVar

from textual.await_complete import AwaitComplete
from textual.screen import ModalScreen

T = TypeVar("T")


class Dialog(ModalScreen[T]):
    def dismiss(self, result: T | None = None) -> AwaitComplete:
        """A second answer (Enter pressed twice before the dialog is gone) is dropped: it
        would close the screen under the dialog, the explorer itself."""
        if not self.is_active:
            return AwaitComplete()
        return super().dismiss(result)
