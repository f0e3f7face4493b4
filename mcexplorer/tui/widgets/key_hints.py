"""The bottom line: the screen's key bindings, drawn as one line of text.

Textual's Footer builds a widget per key and rebuilds them all whenever the bindings may
have changed (focus moves, widgets mount, the terminal reports focus): with a dozen keys
that cost ~100 ms each time and held back the explorer's start by ~180 ms. This draws the
same line in one render and only repaints when the bindings change.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import events
from textual.widget import Widget

if TYPE_CHECKING:
    from textual.screen import Screen


@dataclass(frozen=True)
class Hint:
    key: str  # what simulate_key needs
    display: str  # how the key reads: "^s", "f1"
    description: str
    enabled: bool


class KeyHints(Widget):
    """` ^s Send  ^r Repeat ×20 …        ▏^p palette `; a click runs the key's action."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "key-hints--key",
        "key-hints--description",
        "key-hints--separator",
    }
    DEFAULT_CSS = """
    KeyHints {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        .key-hints--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        .key-hints--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        .key-hints--separator { color: $foreground 20%; }
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        # Cell ranges of the hints as last drawn, for clicks.
        self._spans: list[tuple[int, int, Hint]] = []

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[Any]) -> None:
        self.refresh()

    def hints(self) -> tuple[list[Hint], Hint | None]:
        """The shown bindings (one per action, as the screen's focus chain orders them),
        and the command palette's, which sits apart on the right."""
        active = self.screen.active_bindings
        shown: dict[str, Hint] = {}
        for _node, binding, enabled, _tooltip in active.values():
            if binding.show and binding.action not in shown:
                display = self.app.get_key_display(binding)
                shown[binding.action] = Hint(binding.key, display, binding.description, enabled)
        palette = None
        if self.app.ENABLE_COMMAND_PALETTE:
            found = active.get(self.app.COMMAND_PALETTE_BINDING)
            if found is not None:
                _node, binding, enabled, _tooltip = found
                display = self.app.get_key_display(binding)
                palette = Hint(binding.key, display, binding.description, enabled)
        return list(shown.values()), palette

    def render(self) -> Text:
        key_style = self.get_component_rich_style("key-hints--key")
        description_style = self.get_component_rich_style("key-hints--description")
        shown, palette = self.hints()
        spans: list[tuple[int, int, Hint]] = []

        def draw(line: Text, hint: Hint, key: str, description: str) -> None:
            start = line.cell_len
            line.append(key.format(hint.display), key_style)
            line.append(description.format(hint.description), description_style)
            if not hint.enabled:
                line.stylize("dim", start)
            spans.append((start, line.cell_len, hint))

        line = Text(no_wrap=True, overflow="crop", end="")
        for hint in shown:
            draw(line, hint, " {} ", "{} ")
        if palette is not None:  # at the right edge, after a separator: `▏^p palette `
            right = Text("▏", self.get_component_rich_style("key-hints--separator"), end="")
            width = self.size.width - right.cell_len - len(palette.display + palette.description)
            line.truncate(max(0, width - 2), pad=True)
            spans = [span for span in spans if span[1] <= line.cell_len]
            line.append_text(right)
            draw(line, palette, "{}", " {} ")
        self._spans = spans
        return line

    def on_mouse_down(self, event: events.MouseDown) -> None:
        for start, end, hint in self._spans:
            if start <= event.x < end:
                if hint.enabled:
                    self.app.simulate_key(hint.key)
                else:
                    self.app.bell()
                return
