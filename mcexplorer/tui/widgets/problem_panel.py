"""The problem panel: what went wrong, what it means, and what to do next.

Server text (title, detail, field messages) is shown as plain text, never as markup.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import DataTable, Static

from mcexplorer.core.glossary import GlossaryEntry
from mcexplorer.core.problem import Problem

# Decoded bodies that are not JSON: say what the client actually received.
KIND_NOTES = {
    "firewall-html": "an HTML block page from the edge firewall, not the API",
    "cdn-html": "an HTML error page from the CDN in front of the API",
    "html": "an HTML page instead of JSON",
    "empty": "an empty body",
    "text": "plain text instead of JSON",
    "transport": "no HTTP response (the connection failed)",
}


def _bullets(heading: str, items: list[str] | tuple[str, ...]) -> Content:
    lines = [Content.styled(heading, "bold")]
    lines += [Content.assemble(("  • ", "$text-muted"), item) for item in items]
    return Content("\n").join(lines)


class ProblemPanel(VerticalScroll):
    """Shows one decoded problem with its glossary entry and the diagnosis."""

    DEFAULT_CSS = """
    ProblemPanel {
        height: auto;
        max-height: 100%;
        border: round $error;
        border-title-color: $error;
        border-title-style: bold;
        padding: 0 1;
        &.-empty { border: round $panel; border-title-color: $text-muted; }
        #problem-title { text-style: bold; color: $error; }
        #problem-reference {
            border: heavy $warning;
            padding: 0 1;
            color: $warning;
            text-style: bold;
            width: auto;
        }
        #problem-errors { height: auto; max-height: 12; margin: 1 0 0 0; }
        .section { margin: 1 0 0 0; }
        .-hidden { display: none; }
    }
    """

    def __init__(
        self, *, name: str | None = None, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.problem: Problem | None = None
        self.border_title = "Problem"

    def compose(self) -> ComposeResult:
        yield Static(id="problem-title")
        yield Static(id="problem-facts")
        yield Static(id="problem-reference", classes="-hidden")
        table: DataTable[str] = DataTable(
            id="problem-errors", classes="-hidden", cursor_type="none", zebra_stripes=True
        )
        yield table
        yield Static(id="problem-explanation", classes="section -hidden")
        yield Static(id="problem-next", classes="section -hidden")
        yield Static(id="problem-diagnosis", classes="section -hidden")

    def on_mount(self) -> None:
        table = self.query_one("#problem-errors", DataTable)
        table.add_columns("Field", "Message")
        self.clear()

    def _set(self, widget_id: str, content: Content | None) -> None:
        widget = self.query_one(f"#{widget_id}", Static)
        widget.update(content or "")
        widget.set_class(content is None, "-hidden")

    def clear(self) -> None:
        """Back to the empty state: nothing has gone wrong (yet)."""
        self.problem = None
        self.add_class("-empty")
        self.border_title = "Problem"
        self._set("problem-title", None)
        self._set("problem-facts", Content.styled("No problem to show.", "$text-muted"))
        for widget_id in ("problem-reference", "problem-explanation", "problem-next"):
            self._set(widget_id, None)
        self._set("problem-diagnosis", None)
        table = self.query_one("#problem-errors", DataTable)
        table.clear()
        table.add_class("-hidden")

    def show(self, problem: Problem, entry: GlossaryEntry | None, diagnosis: list[str]) -> None:
        """Display `problem`, explained by its glossary `entry` and the `diagnosis` sentences."""
        self.problem = problem
        self.remove_class("-empty")
        status = str(problem.status) if problem.status is not None else "no status"
        self.border_title = f"Problem · {status}"
        self._set("problem-title", Content(f"{status}  {problem.title}"))
        self._set("problem-facts", self._facts(problem))
        reference = f"Reference #{problem.reference}" if problem.reference else None
        self._set("problem-reference", Content(reference) if reference else None)

        table = self.query_one("#problem-errors", DataTable)
        table.clear()
        for error in problem.errors:
            table.add_row(error.field or "(whole request)", error.message)
        table.set_class(not problem.errors, "-hidden")

        explanation = next_steps = None
        if entry is not None:
            explanation = Content("\n").join(
                [
                    Content.assemble(("What it means: ", "bold"), (entry.title, "italic")),
                    Content(entry.meaning),
                    *([_bullets("Likely causes", entry.causes)] if entry.causes else []),
                ]
            )
            if entry.next_steps:
                next_steps = _bullets("Next steps", entry.next_steps)
        self._set("problem-explanation", explanation)
        self._set("problem-next", next_steps)
        self._set("problem-diagnosis", _bullets("In your case", diagnosis) if diagnosis else None)
        self.scroll_home(animate=False)

    @staticmethod
    def _facts(problem: Problem) -> Content:
        """Detail, then the identifiers support will ask for."""
        lines: list[Content] = []
        if problem.detail:
            lines.append(Content(problem.detail))
        note = KIND_NOTES.get(problem.kind)
        if note:
            lines.append(Content.assemble(("Received: ", "$text-muted"), note))
        facts: list[tuple[str, str]] = []
        if problem.code:
            facts.append(("Code", problem.code))
        if problem.instance:
            facts.append(("Request id (instance)", problem.instance))
        if problem.type:
            facts.append(("Type", problem.type))
        if problem.retry_after_s is not None:
            facts.append(("Retry-After", f"{problem.retry_after_s:g} s"))
        if problem.quota_reset:
            facts.append(("Quota resets", problem.quota_reset))
        lines += [Content.assemble((f"{label}: ", "$text-muted"), value) for label, value in facts]
        return Content("\n").join(lines)
