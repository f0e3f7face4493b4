"""Paste a curl command: it becomes the composer's draft (its credentials dropped)."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Input, Label, Static

from mcexplorer.core.http.draft import Draft
from mcexplorer.tui.dialogs.base import Dialog

if TYPE_CHECKING:
    from mcexplorer.core.catalog.model import Catalog


class PasteCurlDialog(Dialog[Draft | None]):
    DEFAULT_CSS = """
    PasteCurlDialog {
        .dialog-box { width: 90; }
        #curl-error { color: $error; height: auto; }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, catalog: Catalog | None) -> None:
        super().__init__()
        self.catalog = catalog

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box") as box:
            box.border_title = "Paste a curl command"
            yield Label("curl … (auth is dropped: it comes from the profile)")
            yield Input(id="curl-text", placeholder="curl -X GET https://…/3.0/lists")
            yield Static("", id="curl-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Fill composer", id="fill", variant="primary")

    @on(Input.Submitted)
    @on(Button.Pressed, "#fill")
    def _fill(self) -> None:
        from mcexplorer.core.collections.curl_import import CurlImportError, parse_curl

        text = self.query_one("#curl-text", Input).value
        try:
            imported = parse_curl(text, self.catalog)
        except CurlImportError as exc:
            self.query_one("#curl-error", Static).update(Content(str(exc)))
            return
        req = imported.saved.request
        op = self.catalog.get(req.method, req.path) if self.catalog else None
        if imported.dropped:
            self.notify("Dropped: " + "; ".join(imported.dropped), markup=False)
        self.dismiss(Draft.from_request(req, op))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
