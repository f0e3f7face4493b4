"""F1: help for the focused area, then the key list (text in data/help.md)."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.dom import DOMNode
from textual.screen import ModalScreen
from textual.widgets import Markdown

from mcexplorer.tui.screens.closing import dismiss_once

HELP_FILE = Path(__file__).resolve().parent.parent.parent / "data" / "help.md"

# Which help section a widget (or any of its ancestors) belongs to, by class name.
TOPICS = {
    "ResourceMap": "resource-map",
    "OperationsList": "operations",
    "CollectionTree": "saved",
    "Composer": "composer",
    "ResponseView": "response",
    "ProblemPanel": "problem",
    "SlotGauge": "slots",
}


def help_sections(text: str) -> tuple[str, dict[str, str]]:
    """The general part (before the first `## `) and each `## name` section's body."""
    general, *rest = text.split("\n## ")
    sections: dict[str, str] = {}
    for chunk in rest:
        name, _, body = chunk.partition("\n")
        sections[name.strip()] = body.strip()
    return general.strip(), sections


def topic_of(node: DOMNode | None) -> str | None:
    while node is not None:
        topic = TOPICS.get(type(node).__name__)
        if topic is not None:
            return topic
        node = node.parent
    return None


class HelpScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 90; max-height: 90%; height: auto;
        border: round $accent; background: $surface; padding: 0 1;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,f1,q", "close", "Close", id="help-close")
    ]

    def __init__(self, focused: DOMNode | None) -> None:
        super().__init__()
        general, sections = help_sections(HELP_FILE.read_text("utf-8"))
        topic = topic_of(focused)
        parts = [sections[topic]] if topic in sections else []
        self.markdown = "\n\n".join([*parts, general])
        self.topic = topic

    def compose(self) -> ComposeResult:
        with VerticalScroll() as scroll:
            scroll.border_title = "Help"
            yield Markdown(self.markdown)

    def action_close(self) -> None:
        dismiss_once(self, None)
