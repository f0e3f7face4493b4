"""A members import as one use case for every front end: check the file against the
audience, then upsert its rows directly (every slot) or through a batch, journaled so an
interrupted run resumes with only the rest, and leave the rows to fix in a CSV."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from mcexplorer.core.bulk.batch_jobs import BatchJobs, BatchStatus, PollPolicy
from mcexplorer.core.bulk.csv_rows import CsvTable, read_csv_file
from mcexplorer.core.bulk.import_journal import Journal, journal_path_for
from mcexplorer.core.bulk.members_import import (
    ImportPlan,
    ImportReport,
    MembersImport,
    MergeField,
    RowOutcome,
    fetch_existing,
    fetch_merge_fields,
    plan_import,
    write_failed_csv,
)
from mcexplorer.core.http.engine import Engine
from mcexplorer.core.http.slots import MAX_LIMIT

Route = Literal["direct", "batch"]


@dataclass(frozen=True)
class ImportPreview:
    table: CsvTable
    plan: ImportPlan  # the rows ready to send and the invalid ones (never sent)
    merge_fields: list[MergeField]  # the audience's, to check another file without a GET


@dataclass(frozen=True)
class ImportRun:
    report: ImportReport
    failed_csv: Path | None  # written when rows failed or were invalid
    failed_rows: int  # how many rows it holds
    journal: Path | None  # kept when rows failed: resuming sends only those


def failed_csv_path(source: Path) -> Path:
    """Next to the source: `members.csv` -> `members.failed.csv`."""
    return source.with_name(source.stem + ".failed.csv")


async def preview_import(
    engine: Engine, list_id: str, source: Path, merge_fields: list[MergeField] | None = None
) -> ImportPreview:
    """Read and check the file against the audience's merge fields (one GET unless given);
    raises CsvFileError or ImportSetupError, and nothing is written."""
    table = await asyncio.to_thread(read_csv_file, source)
    if merge_fields is None:
        merge_fields = await fetch_merge_fields(engine, list_id)
    plan = await asyncio.to_thread(plan_import, list_id, table, merge_fields)
    return ImportPreview(table, plan, merge_fields)


async def run_import(
    engine: Engine,
    plan: ImportPlan,
    source: Path,
    *,
    via: Route = "direct",
    concurrency: int = MAX_LIMIT,
    status_if_new: str = "subscribed",
    resume: bool = False,
    failed_csv: Path | None = None,
    on_row: Callable[[RowOutcome], None] | None = None,
    on_status: Callable[[BatchStatus], None] | None = None,
    poll: PollPolicy | None = None,
) -> ImportRun:
    """Send the plan's rows. `resume` continues the journal next to `source` (rows it has
    finished are not sent again); otherwise a new journal replaces any old one."""
    journal_path = journal_path_for(source)
    existing = await fetch_existing(engine, plan.list_id)
    opener = Journal.resume if resume else Journal.start
    with opener(journal_path, plan.list_id) as journal:
        job = MembersImport(
            engine,
            plan,
            status_if_new=status_if_new,
            journal=journal,
            existing=existing,
            on_row=on_row,
        )
        if via == "batch":
            report = await job.run_batch(BatchJobs(engine, poll=poll), on_status=on_status)
        else:
            report = await job.run_direct(concurrency)
        if not report.failed:
            journal.discard()  # everything sendable is done; nothing left to resume
    written, rows = None, 0
    if report.failed or report.invalid:
        written = failed_csv or failed_csv_path(source)
        rows = await asyncio.to_thread(write_failed_csv, written, plan, report)
    return ImportRun(report, written, rows, journal_path if report.failed else None)
