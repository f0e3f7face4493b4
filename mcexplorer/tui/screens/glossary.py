"""The glossary: every error the explorer knows, searchable, with the selected one in full."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static
from textual.widgets.option_list import Option

from mcexplorer.core.problems.glossary import Glossary, GlossaryEntry
from mcexplorer.tui.screens.closing import ClosesOnce
from mcexplorer.tui.widgets.key_hints import KeyHints
from mcexplorer.tui.widgets.option_list import OptionList
from mcexplorer.tui.widgets.problem_panel import BulletList


def entry_head(entry: GlossaryEntry) -> Content:
    """Title, status line and meaning as plain text (no markup is parsed from data)."""
    status = str(entry.status) if entry.status is not None else "—"
    trigger = (("  X-Trigger-Error ", "$text-muted"), entry.trigger) if entry.trigger else ()
    return Content("\n").join(
        [
            Content.styled(entry.title, "bold $accent"),
            Content.assemble(
                ("Status ", "$text-muted"),
                status,
                ("  Provider ", "$text-muted"),
                entry.provider,
                *trigger,
            ),
            Content(""),
            Content(entry.meaning),
        ]
    )


class GlossaryScreen(ModalScreen[None], ClosesOnce[None]):
    """Search box, matching entries, and the highlighted entry's text. Escape closes."""

    DEFAULT_CSS = """
    GlossaryScreen {
        align: center middle;
        #glossary-box {
            width: 90%;
            height: 90%;
            border: round $accent;
            border-title-color: $accent;
            background: $surface;
        }
        #glossary-search { margin: 0 1; }
        #glossary-list { width: 40%; height: 1fr; border: none; }
        #glossary-detail { width: 1fr; height: 1fr; padding: 0 1; }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="glossary-close")
    ]

    def __init__(
        self, glossary: Glossary | None = None, *, query: str = "", entry_key: str | None = None
    ) -> None:
        """`query` pre-fills the search; `entry_key` opens on that entry (e.g. the problem's)."""
        super().__init__()
        self.glossary = glossary or Glossary.load()
        self.initial_query = query
        self.entry_key = entry_key
        self.shown: list[GlossaryEntry] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="glossary-box") as box:
            box.border_title = "Error glossary"
            yield Input(
                self.initial_query,
                placeholder="Search titles, meanings, triggers…",
                id="glossary-search",
            )
            with Horizontal():
                yield OptionList(id="glossary-list")
                with VerticalScroll(id="glossary-detail"):
                    yield Static(id="glossary-text")
                    yield BulletList(id="glossary-causes")
                    yield BulletList(id="glossary-next")
        yield KeyHints()

    def on_mount(self) -> None:
        self.filter(self.initial_query)
        keys = [e.key for e in self.shown]
        if self.entry_key in keys:
            options = self.query_one(OptionList)
            options.highlighted = keys.index(self.entry_key)
            options.focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        self.filter(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.query_one(OptionList).focus()

    def filter(self, text: str) -> None:
        """Show the entries matching `text` (all of them for a blank search)."""
        self.shown = self.glossary.search(text) if text.strip() else list(self.glossary.entries)
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options(
            # Content, not a str: a title is data, never parsed as markup.
            Option(Content(f"{e.status if e.status is not None else '—':>3}  {e.title}"), id=e.key)
            for e in self.shown
        )
        if self.shown:
            options.highlighted = 0
        else:
            self.query_one("#glossary-text", Static).update(
                Content.styled(f"Nothing matches {text!r}.", "$text-muted")
            )
            for widget_id in ("#glossary-causes", "#glossary-next"):
                self.query_one(widget_id, BulletList).set_items("", ())

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        # Read the list as it is now: typing fast refills it between a highlight and its
        # event, so the event's option may be one the filter has already removed.
        index = self.query_one(OptionList).highlighted
        if index is None or index >= len(self.shown):
            return
        entry = self.shown[index]
        self.query_one("#glossary-text", Static).update(entry_head(entry))
        self.query_one("#glossary-causes", BulletList).set_items("Likely causes", entry.causes)
        self.query_one("#glossary-next", BulletList).set_items("Next steps", entry.next_steps)

    def action_close(self) -> None:
        self.dismiss(None)
