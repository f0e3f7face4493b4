"""Importing members from a CSV into an audience, with a preview before anything is sent.

Choose the audience and the file: the rows are checked against the audience's merge fields
and invalid ones are listed by line and reason. Start upserts the rest directly (through
the slots, the gauge shows them) or as a batch (its stages show). Escape stops a running
import; the journal next to the CSV keeps what finished, so Start afterwards sends only the
rest. The work is in core/bulk/members_import.py; this screen only drives it and shows it.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.validation import ValidationResult, Validator
from textual.widgets import Button, Checkbox, DataTable, Input, Select, Static
from textual.worker import Worker

from mcexplorer.core.atomic import SaveError
from mcexplorer.core.bulk.batch_jobs import BatchApiError, BatchStatus, PollPolicy
from mcexplorer.core.bulk.batch_results import ArchiveError
from mcexplorer.core.bulk.csv_rows import CsvFileError, CsvTable
from mcexplorer.core.bulk.import_journal import (
    JournalError,
    journal_path_for,
    read_journal,
)
from mcexplorer.core.bulk.members_import import (
    STATUSES,
    ImportPlan,
    ImportReport,
    ImportSetupError,
    MergeField,
    RowOutcome,
    describe_problem,
)
from mcexplorer.core.bulk.progress import ProgressMeter
from mcexplorer.core.http.engine import Engine
from mcexplorer.core.http.paginate import paginate
from mcexplorer.core.http.request import ApiRequest
from mcexplorer.core.http.slots import MAX_LIMIT, SlotSnapshot
from mcexplorer.core.session.members import ImportRun, preview_import, run_import
from mcexplorer.tui.screens.closing import ClosesOnce
from mcexplorer.tui.widgets.import_progress import ImportProgress
from mcexplorer.tui.widgets.key_hints import KeyHints
from mcexplorer.tui.widgets.option_list import Picker

PREVIEW_ROWS = 20  # the first rows of the file, whatever their state
SHOWN_INVALID = 500  # invalid rows listed in the preview (all of them are in the failed CSV)
SHOWN_FAILED = 500
SHOWN_COLUMNS = 8
TICK_S = 0.1  # progress and gauge redraw at most ~10 times a second
RESULT_NAMES = (
    ("created", "created"),
    ("updated", "updated"),
    ("upserted", "created or updated"),
    ("unchanged", "unchanged"),
    ("resumed", "done by an earlier run"),
    ("failed", "failed"),
)


class CsvFileValidator(Validator):
    """The path names a readable file; its content is checked by the preview."""

    def validate(self, value: str) -> ValidationResult:
        if not value.strip():
            return self.failure("name the CSV file to import")
        path = Path(value.strip()).expanduser()
        if path.is_dir():
            return self.failure(f"{value} is a folder, not a CSV file")
        if not path.is_file():
            return self.failure(f"no file at {value}")
        return self.success()


@dataclass(frozen=True)
class PreviewRow:
    line: int
    cells: dict[str, str]  # empty when the record could not be read at all
    problem: str | None


def preview_rows(
    table: CsvTable, plan: ImportPlan, *, first: int = PREVIEW_ROWS, invalid: int = SHOWN_INVALID
) -> list[PreviewRow]:
    """The first rows of the file and the first invalid ones anywhere in it, by line."""
    problems: dict[int, list[str]] = {}
    for issue in plan.invalid:
        problems.setdefault(issue.line, []).append(issue.message)
    cells = {row.line: row.values for row in table.rows}
    lines = {row.line for row in table.rows[:first]} | set(list(problems)[:invalid])
    return [
        PreviewRow(
            line, cells.get(line, {}), "; ".join(problems[line]) if line in problems else None
        )
        for line in sorted(lines)
    ]


class ImportScreen(ClosesOnce[None]):
    """Escape stops a running import, or goes back to the explorer."""

    DEFAULT_CSS = """
    ImportScreen {
        #import-title { margin: 0 1; text-style: bold; }
        #import-form, #import-options { height: auto; margin: 0 1; }
        #audience { width: 1fr; margin-right: 1; }
        #csv-path { width: 2fr; }
        #route { width: 22; margin-right: 1; }
        #status-if-new { width: 30; margin-right: 1; }
        #restart { margin-right: 1; }
        #import-note { margin: 0 1; height: auto; }
        #import-note.-error { color: $error; }
        #preview { height: 1fr; margin: 0 1; }
        #import-progress { display: none; margin: 1 0; }
        #import-results { display: none; height: 1fr; margin: 0 1; }
        #result-counts { width: 36; height: auto; margin-right: 1; }
        #failed-rows { width: 1fr; height: 1fr; }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Stop / Back"),
        Binding("ctrl+s", "start", "Start", priority=True),
    ]

    def __init__(
        self,
        engine: Engine | None,
        *,
        list_id: str | None = None,
        csv_path: Path | None = None,
        clock: Callable[[], float] = time.monotonic,
        poll: PollPolicy | None = None,
        concurrency: int = MAX_LIMIT,
    ) -> None:
        """`list_id` and `csv_path` fill the form in advance; `clock` drives the gauge and
        the rate (fixed in snapshots); `poll` is how often a batch's status is asked."""
        super().__init__()
        self.engine = engine
        self.clock = clock
        self.poll = poll
        self.concurrency = concurrency
        self._initial_list = list_id
        self._initial_path = csv_path
        self._merge_fields: dict[str, list[MergeField]] = {}
        self.audience_names: dict[str, str] = {}
        self.path: Path | None = None
        self.plan: ImportPlan | None = None
        self.report: ImportReport | None = None
        self.meter: ProgressMeter | None = None
        self.failed_csv: Path | None = None
        self.peak_in_flight = 0
        self._snapshot: SlotSnapshot | None = None
        self._importing: Worker[None] | None = None
        self._listening = False

    def compose(self) -> ComposeResult:
        yield Static("Import members from a CSV", id="import-title")
        with Horizontal(id="import-form"):
            yield Picker([], prompt="Audience (loading…)", id="audience")
            yield Input(
                str(self._initial_path or ""),
                placeholder="path/to/members.csv",
                validators=[CsvFileValidator()],
                validate_on=["changed", "submitted"],
                id="csv-path",
            )
        with Horizontal(id="import-options"):
            yield Picker(
                [("route: direct", "direct"), ("route: batch", "batch")],
                value="direct",
                allow_blank=False,
                id="route",
            )
            yield Picker(
                [(f"if new: {status}", status) for status in STATUSES],
                value="subscribed",
                allow_blank=False,
                id="status-if-new",
            )
            yield Checkbox("Start over", id="restart")
            yield Button("Start", id="start", variant="primary", disabled=True)
        yield Static("Choose an audience and a CSV file.", id="import-note")
        yield DataTable(id="preview", zebra_stripes=True, cursor_type="row")
        yield ImportProgress(id="import-progress", clock=self.clock)
        with Horizontal(id="import-results"):
            yield DataTable(id="result-counts", cursor_type="none", show_cursor=False)
            yield DataTable(id="failed-rows", zebra_stripes=True, cursor_type="row")
        yield KeyHints()

    def on_mount(self) -> None:
        self.query_one("#restart", Checkbox).display = False
        self.set_interval(TICK_S, self._tick)
        self._load_audiences()

    def on_unmount(self) -> None:
        self._stop_listening()

    @property
    def running(self) -> bool:
        return self._importing is not None and self._importing.is_running

    # ----- the form --------------------------------------------------------------------

    def _note(self, text: str | Text, *, error: bool = False) -> None:
        note = self.query_one("#import-note", Static)
        note.set_class(error, "-error")
        note.update(text)

    @work(group="audiences", exit_on_error=False)
    async def _load_audiences(self) -> None:
        select = self.query_one("#audience", Select)
        if self.engine is None:
            select.prompt = "Audience (not connected)"
            self._note("Not connected: connect an account first.", error=True)
            return
        req = ApiRequest(
            "GET",
            "/lists",
            query={"fields": "lists.id,lists.name,lists.stats.member_count,total_items"},
        )
        options: list[tuple[str, str]] = []
        async for page in paginate(self.engine, req):
            if not page.ok:
                select.prompt = "Audience (unavailable)"
                self._note(
                    f"Listing audiences failed: {describe_problem(page.problem)}", error=True
                )
                return
            for item in (page.json() or {}).get("lists", []):
                count = (item.get("stats") or {}).get("member_count")
                members = f" ({count} members)" if count is not None else ""
                self.audience_names[str(item["id"])] = str(item.get("name", "?"))
                options.append((f"{item.get('name', '?')}{members}", str(item["id"])))
        select.set_options(options)
        select.prompt = "Audience" if options else "Audience (none on this account)"
        ids = [list_id for _, list_id in options]
        if self._initial_list in ids:
            select.value = self._initial_list
        elif len(ids) == 1:
            select.value = ids[0]

    @on(Select.Changed, "#audience")
    def _audience_changed(self) -> None:
        self._refresh_preview()

    @on(Input.Changed, "#csv-path")
    def _path_changed(self, event: Input.Changed) -> None:
        result = event.validation_result
        if result is not None and not result.is_valid:
            self.plan = None
            self._sync_start()
            self._note("; ".join(result.failure_descriptions), error=bool(event.value.strip()))
            self.query_one("#preview", DataTable).clear(columns=True)
            return
        self._refresh_preview()

    def _refresh_preview(self) -> None:
        if self.running:
            return
        list_id = self.query_one("#audience", Select).value
        path_input = self.query_one("#csv-path", Input)
        if not isinstance(list_id, str) or not path_input.is_valid or not path_input.value:
            self.plan = None
            self._sync_start()
            return
        self._preview(list_id, Path(path_input.value.strip()).expanduser())

    @work(exclusive=True, group="preview", exit_on_error=False)
    async def _preview(self, list_id: str, path: Path) -> None:
        """Read and check the file against the audience; nothing is sent but two GETs."""
        self.plan = None
        self._sync_start()
        self._note(f"Checking {path.name}…")
        table_widget = self.query_one("#preview", DataTable)
        table_widget.display = True  # a new preview replaces the last run's progress
        self.query_one(ImportProgress).display = False
        self.query_one("#import-results").display = False
        assert self.engine is not None
        try:
            known = self._merge_fields.get(list_id)
            preview = await preview_import(self.engine, list_id, path, known)
        except (CsvFileError, ImportSetupError) as exc:
            table_widget.clear(columns=True)
            self._note(f"{exc} (nothing was sent)", error=True)
            return
        table, plan = preview.table, preview.plan
        self._merge_fields[list_id] = preview.merge_fields
        self.path, self.plan = path, plan
        self._fill_preview(table, plan)
        self._note(self._plan_note(path, plan))
        self._sync_start()

    def _fill_preview(self, table: CsvTable, plan: ImportPlan) -> None:
        widget = self.query_one("#preview", DataTable)
        widget.clear(columns=True)
        columns = table.columns[:SHOWN_COLUMNS]
        widget.add_columns("line", "check", *columns, "problem")
        for row in preview_rows(table, plan):
            check = Text("✓", "green") if row.problem is None else Text("✗", "bold red")
            problem = Text(row.problem or "", "red")
            cells = [row.cells.get(column, "") for column in columns]
            widget.add_row(str(row.line), check, *cells, problem, key=str(row.line))

    def _plan_note(self, path: Path, plan: ImportPlan) -> Text:
        note = Text()
        note.append(f"{len(plan.rows)} rows ready", "bold green")
        if plan.invalid:
            note.append(", ")
            note.append(f"{len(plan.invalid)} invalid (never sent)", "bold red")
        note.append(f"; showing the first {PREVIEW_ROWS} rows and every invalid row.")
        journal = journal_path_for(path)
        restart = self.query_one("#restart", Checkbox)
        restart.display = journal.exists()
        if journal.exists():
            try:
                state = read_journal(journal)
            except JournalError as exc:
                note.append(f"\n{exc}; tick Start over to replace it.", "yellow")
                return note
            if state.list_id != plan.list_id:
                note.append(
                    f"\nAn unfinished import of this file into audience {state.list_id} "
                    "exists; tick Start over to import into this one instead.",
                    "yellow",
                )
            else:
                note.append(
                    f"\nAn earlier import of this file stopped after {len(state.done)} rows: "
                    "Start resumes it and sends only the rest (or tick Start over).",
                    "yellow",
                )
        return note

    def _sync_start(self) -> None:
        ready = self.plan is not None and bool(self.plan.rows) and self.engine is not None
        self.query_one("#start", Button).disabled = self.running or not ready

    # ----- running ---------------------------------------------------------------------

    @on(Button.Pressed, "#start")
    def action_start(self) -> None:
        if self.running or self.plan is None or not self.plan.rows or self.path is None:
            return
        route = str(self.query_one("#route", Select).value)
        status_if_new = str(self.query_one("#status-if-new", Select).value)
        restart = self.query_one("#restart", Checkbox).value
        self._importing = self._run(self.plan, self.path, route, status_if_new, restart)
        self._sync_start()

    def _set_form_enabled(self, enabled: bool) -> None:
        for selector in ("#audience", "#csv-path", "#route", "#status-if-new", "#restart"):
            self.query_one(selector).disabled = not enabled

    def _slots_changed(self, snapshot: SlotSnapshot) -> None:
        """Engine listener (on the event loop): keep the latest, the tick draws it."""
        self._snapshot = snapshot
        self.peak_in_flight = max(self.peak_in_flight, snapshot.in_flight)

    def _stop_listening(self) -> None:
        if self.engine is not None and self._listening:
            self.engine.slots.remove_listener(self._slots_changed)
            self._listening = False

    def _tick(self) -> None:
        progress = self.query_one(ImportProgress)
        if self._snapshot is not None:
            progress.show_slots(self._snapshot)
            self._snapshot = None
        if self.meter is not None and self.running:
            progress.show_meter(self.meter)

    @work(exclusive=True, group="import", exit_on_error=False)
    async def _run(
        self, plan: ImportPlan, path: Path, route: str, status_if_new: str, restart: bool
    ) -> None:
        assert self.engine is not None
        engine = self.engine
        progress = self.query_one(ImportProgress)
        self._set_form_enabled(False)
        self.query_one("#preview").display = False
        self.query_one("#import-results").display = False
        progress.display = True
        progress.start(len(plan.rows), batch=route == "batch")
        meter = self.meter = ProgressMeter(len(plan.rows), clock=self.clock)
        self.peak_in_flight = 0
        engine.slots.add_listener(self._slots_changed)
        self._listening = True
        audience = self.audience_names.get(plan.list_id, plan.list_id)
        self._note(f"Importing {len(plan.rows)} rows into {audience} ({route})…")

        def on_row(outcome: RowOutcome) -> None:
            meter.advance(failed=outcome.result == "failed")

        def on_status(status: BatchStatus) -> None:
            progress.show_batch(status, meter)

        journal_path = journal_path_for(path)
        try:
            run = await run_import(
                engine,
                plan,
                path,
                via="batch" if route == "batch" else "direct",
                concurrency=self.concurrency,
                status_if_new=status_if_new,
                resume=journal_path.exists() and not restart,
                on_row=on_row,
                on_status=on_status,
                poll=self.poll,
            )
            self._finished(run)
        except asyncio.CancelledError:
            self._note(
                f"Stopped after {meter.done} of {meter.total} rows. The journal "
                f"{journal_path.name} keeps them: Start again sends only the rest.",
                error=True,
            )
            raise
        except (ImportSetupError, JournalError) as exc:
            self._note(f"{exc} (nothing was sent)", error=True)
        except (BatchApiError, ArchiveError, SaveError) as exc:
            hint = f" {exc.hint}" if isinstance(exc, BatchApiError) and exc.hint else ""
            self._note(f"{exc}.{hint} Start again to resume.", error=True)
        finally:
            self._stop_listening()
            if self.is_attached:  # not when the app is closing under a running import
                progress.show_slots(engine.snapshot())
                progress.show_meter(meter)
                self._set_form_enabled(True)
                self.call_after_refresh(self._sync_start)

    def _finished(self, run: ImportRun) -> None:
        report = self.report = run.report
        self.failed_csv = run.failed_csv
        self._show_results(report)
        note = Text(f"Done: {report.summary()}.", "bold")
        if run.failed_csv is not None:
            note.append(f"\nRows to fix and import again: {run.failed_csv}", "yellow")
        if report.failed:
            note.append("\nStart again retries only the failed rows.", "yellow")
        self._note(note)

    def _show_results(self, report: ImportReport) -> None:
        self.query_one("#import-results").display = True
        counts = self.query_one("#result-counts", DataTable)
        counts.clear(columns=True)
        counts.add_columns("result", "rows")
        for key, name in RESULT_NAMES:
            if key in report.counts or key == "failed":
                counts.add_row(name, str(report.counts.get(key, 0)), key=key)
        counts.add_row("invalid (not sent)", str(len(report.invalid)), key="invalid")
        failed = self.query_one("#failed-rows", DataTable)
        failed.clear(columns=True)
        failed.add_columns("line", "email", "reason")
        rows = [(o.row.line, o.row.email, o.reason) for o in report.failed]
        rows += [(issue.line, "", issue.message) for issue in report.invalid]
        for line, email, reason in sorted(rows)[:SHOWN_FAILED]:
            failed.add_row(str(line), email, Text(reason, "red"))

    def action_close(self) -> None:
        if self.running and self._importing is not None:
            self._importing.cancel()
            return
        self.dismiss(None)
