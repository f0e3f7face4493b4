"""Small dialogs for saved requests: a name (save as / rename) and a file path.

Each dismisses with the answer, or None / False when Escape closes it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Input, Label, Static

from mcexplorer.tui.dialogs.base import Dialog

_DIALOG_CSS = """
{name} {{
    align: center middle;
    .dialog-box {{ width: 72; height: auto; border: round $accent; padding: 1 2;
                   background: $surface; border-title-color: $accent; }}
    .dialog-buttons {{ height: auto; margin: 1 0 0 0; align-horizontal: right; }}
    .dialog-buttons Button {{ margin: 0 0 0 1; }}
    .dialog-error {{ color: $error; height: auto; }}
    Label {{ margin: 1 0 0 0; color: $text-muted; }}
}}
"""


@dataclass(frozen=True)
class SaveTarget:
    rel: PurePosixPath  # the request file inside the collection
    description: str


class SaveRequestScreen(Dialog[SaveTarget | None]):
    """Asks for a name (folders with '/') and a description; used to save as and to rename."""

    DEFAULT_CSS = _DIALOG_CSS.format(name="SaveRequestScreen")
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(
        self, title: str, name: str, description: str = "", *, ask_description: bool = True
    ) -> None:
        super().__init__()
        self.dialog_title = title
        self.initial_name = name
        self.initial_description = description
        self.ask_description = ask_description

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box") as box:
            box.border_title = self.dialog_title
            yield Label("Name (use / for folders)")
            yield Input(self.initial_name, id="save-name")
            if self.ask_description:
                yield Label("Description")
                yield Input(self.initial_description, id="save-description")
            yield Static("", id="save-error", classes="dialog-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Save", id="save", variant="primary")

    @on(Input.Submitted)
    @on(Button.Pressed, "#save")
    def _save(self) -> None:
        # Imported here: the module pulls in the engine, which the explorer loads later.
        from mcexplorer.core.collections.edits import request_rel

        try:
            rel = request_rel(self.query_one("#save-name", Input).value)
        except ValueError as exc:
            self.query_one("#save-error", Static).update(Content(str(exc)))
            return
        description = ""
        if self.ask_description:
            description = self.query_one("#save-description", Input).value.strip()
        self.dismiss(SaveTarget(rel, description))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class PathPromptScreen(Dialog[Path | None]):
    """Asks where to write a file, offering a default."""

    DEFAULT_CSS = _DIALOG_CSS.format(name="PathPromptScreen")
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, default: Path) -> None:
        super().__init__()
        self.dialog_title = title
        self.default = default

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box") as box:
            box.border_title = self.dialog_title
            yield Label("File")
            yield Input(str(self.default), id="path-input")
            yield Static("", id="path-error", classes="dialog-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Write", id="write", variant="primary")

    @on(Input.Submitted)
    @on(Button.Pressed, "#write")
    def _write(self) -> None:
        text = self.query_one("#path-input", Input).value.strip()
        if not text:
            self.query_one("#path-error", Static).update("Give a file path.")
            return
        path = Path(text).expanduser()
        if path.is_dir():
            self.query_one("#path-error", Static).update(
                Content(f"{path} is a folder; give a file name.")
            )
            return
        self.dismiss(path)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
