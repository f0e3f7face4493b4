"""The history: every request the explorer (and the CLI) sent, newest first.

Filters narrow by status class, path and problem title; the highlighted entry shows below
with the same response view, problem panel and retry timeline as a live response. From an
entry: send it again, save it into the collection, or write a support bundle.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import ClassVar
from urllib.parse import urlsplit

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.notifications import SeverityLevel
from textual.widgets import Button, DataTable, Input, Select, Static

from mcexplorer.core.atomic import SaveError
from mcexplorer.core.history.bundle import write_bundle
from mcexplorer.core.history.store import HistoryEntry, HistoryError, HistoryFilter, HistoryStore
from mcexplorer.core.http.request import ApiRequest
from mcexplorer.core.problems.glossary import Glossary
from mcexplorer.core.session.explain import explain
from mcexplorer.tui.dialogs.confirm import ConfirmDialog
from mcexplorer.tui.screens.closing import ClosesOnce
from mcexplorer.tui.screens.save_request import PathPromptScreen
from mcexplorer.tui.widgets.key_hints import KeyHints
from mcexplorer.tui.widgets.option_list import Picker
from mcexplorer.tui.widgets.problem_panel import ProblemPanel
from mcexplorer.tui.widgets.response_view import ResponseView
from mcexplorer.tui.widgets.retry_timeline import RetryTimeline

SHOWN_ENTRIES = 500
STATUS_FILTERS = (("2xx", "2xx"), ("4xx", "4xx"), ("5xx", "5xx"), ("failed", "failed"))
BUNDLES_DIR = "bundles"
# (header, widest it grows to): a long path or title is cut rather than push the rest out.
COLUMNS = (
    ("#", 8),
    ("when", 14),
    ("method", 7),
    ("path", 60),
    ("status", 6),
    ("problem", 40),
    ("ms", 7),
)


def free_name(path: Path) -> Path:
    """`path`, or `name-1.md`, `name-2.md`… : the first that does not exist yet."""
    candidate, n = path, 0
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
    return candidate


def _when(entry: HistoryEntry) -> str:
    try:
        return datetime.fromisoformat(entry.recorded_at).astimezone().strftime("%m-%d %H:%M:%S")
    except ValueError:
        return entry.recorded_at


def _status_cell(entry: HistoryEntry) -> Text:
    if entry.outcome.status is None:
        return Text("none", style="bold red")
    style = "green" if entry.outcome.ok else "#d7af5f" if entry.outcome.status == 429 else "red"
    return Text(str(entry.outcome.status), style=f"bold {style}")


def _title_cell(entry: HistoryEntry) -> str:
    outcome = entry.outcome
    if outcome.problem is not None:
        return outcome.problem.title
    return "" if outcome.ok else outcome.gave_up or ""


class HistoryScreen(ClosesOnce[None]):
    """Escape goes back to the explorer."""

    DEFAULT_CSS = """
    HistoryScreen {
        #history-filters { height: 1; margin: 0 1 1 1; }
        #history-status { width: 16; margin-right: 1; }
        #history-path { width: 2fr; margin-right: 1; }
        #history-title { width: 1fr; }
        #history-table { height: 1fr; }
        #history-actions { height: 1; margin: 0 1; }
        #history-actions Button { margin-right: 1; }
        #history-count { width: 1fr; color: $text-muted; }
        #history-detail { height: 2fr; }
        #history-problem { max-height: 10; display: none; }
        #history-timeline { max-height: 7; border-top: hkey $panel-lighten-1; }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Back"),
        Binding("r", "resend", "Re-send"),
        Binding("s", "save", "Save to collection"),
        Binding("b", "bundle", "Support bundle"),
        Binding("slash", "focus_filter", "Filter", show=False),
    ]

    def __init__(
        self,
        store: HistoryStore,
        *,
        glossary: Glossary | None = None,
        on_resend: Callable[[ApiRequest], None] | None = None,
        on_save: Callable[[ApiRequest], None] | None = None,
        mask_volatile: bool = False,
    ) -> None:
        super().__init__()
        self.store = store
        self.glossary = glossary
        self.on_resend = on_resend
        self.on_save = on_save
        self.mask_volatile = mask_volatile
        self.entries: dict[int, HistoryEntry] = {}
        self.shown: HistoryEntry | None = None

    def compose(self) -> ComposeResult:
        with Horizontal(id="history-filters"):
            yield Picker(STATUS_FILTERS, prompt="any status", id="history-status", compact=True)
            yield Input(placeholder="path contains…", id="history-path", compact=True)
            yield Input(placeholder="problem title contains…", id="history-title", compact=True)
        table: DataTable[str | Text] = DataTable(
            id="history-table", cursor_type="row", zebra_stripes=True
        )
        yield table
        with Horizontal(id="history-actions"):
            yield Static("", id="history-count")
            yield Button("Re-send", id="resend", compact=True)
            yield Button("Save to collection", id="save", compact=True)
            yield Button("Support bundle", id="bundle", compact=True)
        with Vertical(id="history-detail"):
            yield ProblemPanel(id="history-problem")
            yield ResponseView(id="history-response", mask_volatile=self.mask_volatile)
            yield RetryTimeline(id="history-timeline")
        yield KeyHints()

    def on_mount(self) -> None:
        self.title = "History"
        table = self.query_one(DataTable)
        table.focus()
        self.reload()

    # ----- listing ---------------------------------------------------------------------

    def current_filter(self) -> HistoryFilter:
        status = self.query_one("#history-status", Select).value
        return HistoryFilter(
            status=status if isinstance(status, str) else None,
            path=self.query_one("#history-path", Input).value.strip() or None,
            title=self.query_one("#history-title", Input).value.strip() or None,
            limit=SHOWN_ENTRIES,
        )

    @on(Select.Changed, "#history-status")
    @on(Input.Changed, "#history-path, #history-title")
    def reload(self) -> None:
        self._load(self.current_filter())

    @work(thread=True, exclusive=True, group="history-list", exit_on_error=False)
    def _load(self, filters: HistoryFilter) -> None:
        bad_rows: list[str] = []
        try:
            entries = self.store.list(filters, on_bad_row=bad_rows.append)
        except HistoryError as exc:
            self.app.call_from_thread(self._say, str(exc), "error")
            return
        self.app.call_from_thread(self._listed, entries)
        if bad_rows:  # the rest of the history still shows
            more = f" (and {len(bad_rows) - 1} more)" if len(bad_rows) > 1 else ""
            said = f"Left out a history entry that cannot be read: {bad_rows[0]}{more}"
            self.app.call_from_thread(self._say, said, "warning")

    def _listed(self, entries: list[HistoryEntry]) -> None:
        table = self.query_one(DataTable)
        rows = [
            (
                str(entry.id),
                "…" if self.mask_volatile else _when(entry),
                entry.outcome.method,
                urlsplit(entry.outcome.url).path,
                _status_cell(entry),
                _title_cell(entry),
                "…" if self.mask_volatile else f"{entry.outcome.elapsed_ms:.0f}",
            )
            for entry in entries
        ]
        # Widths from the cells themselves: left to the table, they were measured late
        # and the first frame clipped every column to its header ("/3.0", "Resourc").
        table.clear(columns=True)
        for n, (header, cap) in enumerate(COLUMNS):
            widest = max((len(str(row[n])) for row in rows), default=0)
            table.add_column(header, width=min(max(widest, len(header)), cap))
        self.entries = {entry.id: entry for entry in entries}
        for entry, row in zip(entries, rows, strict=True):
            table.add_row(*row, key=str(entry.id))
        more = " (newest shown)" if len(entries) >= SHOWN_ENTRIES else ""
        self.query_one("#history-count", Static).update(f"{len(entries)} entries{more}")
        if entries:
            self.open_entry(entries[0])
        else:
            self._clear_detail()

    @on(DataTable.RowHighlighted, "#history-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.cursor_row < 0:  # the table was emptied (Textual sends no row key then)
            return
        entry = self.entries.get(int(event.row_key.value or 0))
        if entry is not None and entry is not self.shown:
            self.open_entry(entry)

    # ----- one entry -------------------------------------------------------------------

    def _clear_detail(self) -> None:
        self.shown = None
        self.query_one(ProblemPanel).show(None)
        self.query_one(RetryTimeline).show([])

    def open_entry(self, entry: HistoryEntry) -> None:
        self.shown = entry
        outcome = entry.outcome
        self.query_one(ResponseView).show(outcome)
        self.query_one(RetryTimeline).show(outcome.attempts)
        explained = explain(
            outcome, base_url=entry.base_url, key_dc=entry.dc, glossary=self.glossary
        )
        self.query_one(ProblemPanel).show(explained)

    def _need_entry(self) -> HistoryEntry | None:
        if self.shown is None:
            self.notify("No history entry selected.", severity="warning")
        return self.shown

    # ----- actions ---------------------------------------------------------------------

    @on(Button.Pressed, "#resend")
    def action_resend(self) -> None:
        entry = self._need_entry()
        if entry is None or self.on_resend is None:
            return
        self.dismiss()
        self.on_resend(entry.outcome.request)

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        entry = self._need_entry()
        if entry is not None and self.on_save is not None:
            self.on_save(entry.outcome.request)

    @on(Button.Pressed, "#bundle")
    def action_bundle(self) -> None:
        entry = self._need_entry()
        if entry is None:
            return
        default = free_name(self.store.path.parent / BUNDLES_DIR / f"bundle-{entry.id}.md")

        def chosen(path: Path | None) -> None:
            if path is not None:
                self._write_bundle(entry, path)

        self.app.push_screen(PathPromptScreen("Write a support bundle", default), chosen)

    def _ask_to_replace(self, entry: HistoryEntry, path: Path) -> None:
        def answered(yes: bool | None) -> None:
            if yes:
                self._write_bundle(entry, path, overwrite=True)

        question = f"{path} already exists. Replace it with this bundle?"
        self.app.push_screen(ConfirmDialog(question, "Replace"), answered)

    @work(thread=True, group="bundle", exit_on_error=False, description="write bundle")
    def _write_bundle(self, entry: HistoryEntry, path: Path, *, overwrite: bool = False) -> None:
        try:
            write_bundle(entry, path, self.glossary, overwrite=overwrite)
        except FileExistsError:  # never replaced without asking
            self.app.call_from_thread(self._ask_to_replace, entry, path)
            return
        except (SaveError, OSError) as exc:  # the message names the file and the cause
            self.app.call_from_thread(self._say, f"Could not write the bundle: {exc}", "error")
            return
        self.app.call_from_thread(self._say, f"Support bundle written to {path}", "information")

    def _say(self, text: str, severity: SeverityLevel) -> None:
        self.notify(text, severity=severity, timeout=10, markup=False)

    def action_focus_filter(self) -> None:
        self.query_one("#history-path", Input).focus()

    def action_close(self) -> None:
        self.dismiss()
