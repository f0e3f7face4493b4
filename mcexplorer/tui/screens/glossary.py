"""The glossary: every error the explorer knows, searchable, with the selected one in full."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from mcexplorer.core.glossary import Glossary, GlossaryEntry


def entry_text(entry: GlossaryEntry) -> Content:
    """The full entry as plain text with light emphasis (no markup is parsed from data)."""
    status = str(entry.status) if entry.status is not None else "—"
    head = [
        Content.styled(entry.title, "bold $accent"),
        Content.assemble(
            ("Status ", "$text-muted"),
            status,
            ("  Provider ", "$text-muted"),
            entry.provider,
            *((("  X-Trigger-Error ", "$text-muted"), entry.trigger) if entry.trigger else ()),
        ),
        Content(""),
        Content(entry.meaning),
    ]
    for heading, items in (("Likely causes", entry.causes), ("Next steps", entry.next_steps)):
        if items:
            head += [Content(""), Content.styled(heading, "bold")]
            head += [Content.assemble(("  • ", "$text-muted"), item) for item in items]
    return Content("\n").join(head)


class GlossaryScreen(ModalScreen[None]):
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

    def __init__(self, glossary: Glossary | None = None, *, query: str = "") -> None:
        super().__init__()
        self.glossary = glossary or Glossary.load()
        self.initial_query = query
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
        yield Footer()

    def on_mount(self) -> None:
        self.filter(self.initial_query)

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
            Option(f"{e.status if e.status is not None else '—':>3}  {e.title}", id=e.key)
            for e in self.shown
        )
        if self.shown:
            options.highlighted = 0
        else:
            self.query_one("#glossary-text", Static).update(
                Content.styled(f"Nothing matches {text!r}.", "$text-muted")
            )

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        entry = next(e for e in self.shown if e.key == event.option.id)
        self.query_one("#glossary-text", Static).update(entry_text(entry))

    def action_close(self) -> None:
        self.dismiss(None)
