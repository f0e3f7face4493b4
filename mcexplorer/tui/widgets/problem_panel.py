"""The problem panel: what went wrong, what it means, and what to do next.

Server text (title, detail, field messages) is shown as plain text, never as markup.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.geometry import Size
from textual.widget import Widget
from textual.widgets import DataTable, Static

if TYPE_CHECKING:
    from mcexplorer.core.problems.problem import Problem
    from mcexplorer.core.session.explain import Explanation

# Decoded bodies that are not JSON: say what the client actually received.
KIND_NOTES = {
    "firewall-html": "an HTML block page from the edge firewall, not the API",
    "cdn-html": "an HTML error page from the CDN in front of the API",
    "html": "an HTML page instead of JSON",
    "empty": "an empty body",
    "text": "plain text instead of JSON",
    "transport": "no HTTP response (the connection failed)",
}


class BulletList(Widget):
    """A bold heading over bullets whose wrapped lines stay indented under their text.

    Hidden while it has no items.
    """

    DEFAULT_CSS = """
    BulletList {
        height: auto;
        margin: 1 0 0 0;
    }
    """

    MARK = "  • "

    def __init__(
        self,
        heading: str = "",
        items: Iterable[str] = (),
        *,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.heading = heading
        self.items = tuple(items)
        self.display = bool(self.items)

    def set_items(self, heading: str, items: Iterable[str]) -> None:
        self.heading, self.items = heading, tuple(items)
        self.display = bool(self.items)
        self.refresh(layout=True)

    def _lines(self, width: int) -> list[Content]:
        lines = [Content.styled(self.heading, "bold")]
        indent = len(self.MARK)
        for item in self.items:
            for number, line in enumerate(Content(item).wrap(max(width - indent, 10))):
                mark = self.MARK if number == 0 else " " * indent
                lines.append(Content.assemble((mark, "$text-muted"), line))
        return lines

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._lines(width))

    def render(self) -> Content:
        return Content("\n").join(self._lines(self.content_size.width))


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
        #problem-meaning { margin: 1 0 0 0; }
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
        yield Static(id="problem-reference", classes="-hidden")  # support asks for it first
        yield Static(id="problem-facts")
        table: DataTable[str] = DataTable(
            id="problem-errors", classes="-hidden", cursor_type="none", zebra_stripes=True
        )
        yield table
        yield Static(id="problem-meaning", classes="-hidden")
        yield BulletList(id="problem-causes")
        yield BulletList(id="problem-next")
        yield BulletList(id="problem-diagnosis")

    def on_mount(self) -> None:
        table = self.query_one("#problem-errors", DataTable)
        table.add_columns("Field", "Message")
        if self.problem is None:
            self.clear()

    def _set(self, widget_id: str, content: Content | None) -> None:
        widget = self.query_one(f"#{widget_id}", Static)
        widget.update(content or "")
        widget.set_class(content is None, "-hidden")

    def _bullets(self, widget_id: str, heading: str, items: Iterable[str]) -> None:
        self.query_one(f"#{widget_id}", BulletList).set_items(heading, items)

    def clear(self) -> None:
        """Back to the empty state: nothing has gone wrong (yet)."""
        self.problem = None
        self.add_class("-empty")
        self.border_title = "Problem"
        self._set("problem-title", None)
        self._set("problem-facts", Content.styled("No problem to show.", "$text-muted"))
        self._set("problem-reference", None)
        self._set("problem-meaning", None)
        for widget_id in ("problem-causes", "problem-next", "problem-diagnosis"):
            self._bullets(widget_id, "", ())
        table = self.query_one("#problem-errors", DataTable)
        table.clear()
        table.add_class("-hidden")

    def show(self, explanation: Explanation | None) -> None:
        """Display a problem with its glossary entry and diagnosis; hide for none."""
        self.display = explanation is not None
        if explanation is None:
            self.clear()
            return
        problem, entry, diagnosis = explanation.problem, explanation.entry, explanation.hints
        self.problem = problem
        self.remove_class("-empty")
        status = str(problem.status) if problem.status is not None else "no response"
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

        meaning = None
        if entry is not None:
            meaning = Content("\n").join(
                [
                    Content.assemble(("What it means: ", "bold"), (entry.title, "italic")),
                    Content(entry.meaning),
                ]
            )
        self._set("problem-meaning", meaning)
        self._bullets("problem-causes", "Likely causes", entry.causes if entry else ())
        self._bullets("problem-next", "Next steps", entry.next_steps if entry else ())
        self._bullets("problem-diagnosis", "In your case", diagnosis)
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
