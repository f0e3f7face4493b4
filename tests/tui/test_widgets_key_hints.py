"""The key hints line (Pilot): what it shows follows the bindings, and a click runs one."""

from __future__ import annotations

from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.widget import Widget

from mcexplorer.tui.widgets.key_hints import KeyHints


class Panel(Widget, can_focus=True):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("f6", "poke", "Poke")]


class HintsHost(App[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f2", "count", "Count"),
        Binding("f4", "hidden", "Hidden", show=False),
        Binding("f5", "blocked", "Blocked"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.counted = 0

    def compose(self) -> ComposeResult:
        yield Panel(id="panel")
        yield KeyHints()

    def action_count(self) -> None:
        self.counted += 1

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return None if action == "blocked" else True  # None: shown greyed out


def line_of(app: HintsHost) -> str:
    return str(app.query_one(KeyHints).render())


def drawn(app: HintsHost) -> str:
    """The line as last painted (cached until the widget refreshes)."""
    return app.query_one(KeyHints).render_line(0).text


async def test_shows_the_shown_bindings_and_the_palette_at_the_right_edge() -> None:
    app = HintsHost()
    async with app.run_test(size=(80, 6)) as pilot:
        await pilot.pause()
        line = line_of(app)
        assert " f2 Count " in line and " f5 Blocked " in line
        assert "Hidden" not in line
        assert line.endswith("▏^p palette ") and len(line) == 80
        hints, palette = app.query_one(KeyHints).hints()
        assert [h.enabled for h in hints if h.key == "f5"] == [False]
        assert palette is not None and palette.key == "ctrl+p"


async def test_the_line_follows_focus() -> None:
    app = HintsHost()
    async with app.run_test(size=(100, 6)) as pilot:
        app.set_focus(None)
        await pilot.pause()
        assert "Poke" not in drawn(app)
        app.query_one("#panel", Panel).focus()
        await pilot.pause()
        assert " f6 Poke " in drawn(app)  # repainted when the bindings changed
        app.set_focus(None)
        await pilot.pause()
        assert "Poke" not in drawn(app)


async def test_clicking_a_hint_runs_its_key_and_a_disabled_one_does_not() -> None:
    app = HintsHost()
    async with app.run_test(size=(80, 6)) as pilot:
        await pilot.pause()
        hints = app.query_one(KeyHints)
        line = line_of(app)
        await pilot.click(KeyHints, offset=(line.index("Count"), 0))
        await pilot.pause()
        assert app.counted == 1
        await pilot.click(KeyHints, offset=(line.index("Blocked"), 0))
        await pilot.pause()
        assert app.counted == 1
        assert hints.render()  # still drawn after the clicks


async def test_a_narrow_line_keeps_the_palette_and_drops_what_does_not_fit() -> None:
    app = HintsHost()
    async with app.run_test(size=(30, 6)) as pilot:
        await pilot.pause()
        line = line_of(app)
        assert len(line) == 30 and line.endswith("▏^p palette ")
        await pilot.click(KeyHints, offset=(29, 0))  # on the palette hint
        await pilot.pause()
        assert app.screen is not app.screen_stack[0]  # the command palette opened
