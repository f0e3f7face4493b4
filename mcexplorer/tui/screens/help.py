"""F1: help for the focused area, the keys of the screen it was opened from, then the
general text (data/help.md).

The key list is read from the bindings in force (the screen's, the app's, and those of our
own widgets in the focus chain), so a new key shows up here by itself.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar, NamedTuple

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widgets import Markdown

from mcexplorer.tui.screens.closing import ClosesOnce

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


_KEY_NAMES = {
    "ctrl": "Ctrl",
    "alt": "Alt",
    "shift": "Shift",
    "left": "←",
    "right": "→",
    "up": "↑",
    "down": "↓",
    "pageup": "PgUp",
    "pagedown": "PgDn",
    "escape": "Esc",
    "delete": "Delete",
    "enter": "Enter",
    "slash": "/",
}


def key_label(key: str) -> str:
    """`ctrl+pagedown` → `Ctrl+PgDn`, `f7` → `F7`, `alt+left` → `Alt+←`, `ctrl+s` → `Ctrl+S`."""

    *modifiers, last = key.split("+")
    if last in _KEY_NAMES:
        last = _KEY_NAMES[last]
    elif len(last) == 1:
        last = last.upper() if modifiers else last  # Ctrl+S, but the key r is r
    else:
        last = last.upper() if last[0] == "f" and last[1:].isdigit() else last.title()
    return "+".join([*(_KEY_NAMES.get(m, m.title()) for m in modifiers), last])


def _our_actions(cls: type) -> set[str]:
    """Actions bound by mcexplorer's classes in `cls`'s ancestry (not Textual's)."""
    actions: set[str] = set()
    for klass in cls.__mro__:
        if klass.__module__.startswith("mcexplorer."):
            for binding in vars(klass).get("BINDINGS", []):
                actions.add(binding.action if isinstance(binding, Binding) else binding[1])
    return actions


class KeyRow(NamedTuple):
    key: str
    action: str
    ours: bool  # the app's, a screen's or one of our widgets' (not Textual's navigation)


def key_rows(screen: Screen[object]) -> list[KeyRow]:
    """Every binding in force on `screen` (the focused widget's first, as Textual looks
    them up): ours first, then the focused widget's own navigation keys."""
    rows = []
    for key, active in screen.active_bindings.items():
        node, binding = active.node, active.binding
        ours = isinstance(node, App) or binding.action in _our_actions(type(node))
        what = binding.tooltip or binding.description or binding.action.replace("_", " ")
        rows.append(KeyRow(key_label(key), what, ours))
    return sorted(rows, key=lambda row: not row.ours)


def keys_markdown(rows: list[KeyRow]) -> str:
    lines = ["# Keys here", ""]
    lines += [f"- **{row.key}** {row.action}" for row in rows if row.ours]
    widget_keys = [f"{row.key} {row.action.lower()}" for row in rows if not row.ours]
    if widget_keys:
        lines += ["", "In the focused area: " + " · ".join(widget_keys) + "."]
    return "\n".join(lines)


def topic_of(node: DOMNode | None) -> str | None:
    while node is not None:
        topic = TOPICS.get(type(node).__name__)
        if topic is not None:
            return topic
        node = node.parent
    return None


class HelpScreen(ModalScreen[None], ClosesOnce[None]):
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
        # Built before this screen is pushed: the screen below is still the current one.
        opened_from = focused.screen if focused is not None else self.app.screen
        self.keys = key_rows(opened_from)
        self.markdown = "\n\n".join([*parts, keys_markdown(self.keys), general])
        self.topic = topic

    def compose(self) -> ComposeResult:
        with VerticalScroll() as scroll:
            scroll.border_title = "Help"
            yield Markdown(self.markdown)

    def action_close(self) -> None:
        self.dismiss(None)
