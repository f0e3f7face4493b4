"""Importing audience members from a CSV: check locally, then upsert directly or by batch.

Local checks come first and nothing invalid is sent: the address syntax, duplicates in the
file, columns that are not merge fields of the audience, numbers in number fields, status
values. Each upsert is `PUT /lists/{list_id}/members/{subscriber_hash}`, idempotent, so a
retried or resumed row does no harm.

Columns: one address column (email, email_address, "Email Address"), an optional `status`,
and merge fields by tag (FNAME) or by name ("First Name"). Columns whose name starts with
"_" are ignored: the failed-rows CSV adds `_line` and `_reason`, and can be imported as is.
Empty cells are not sent, so they never blank a value the member already has.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from mcexplorer.core.bulk.batch import BatchOperation
from mcexplorer.core.bulk.batch_jobs import BatchApiError, BatchJobs, BatchStatus
from mcexplorer.core.bulk.batch_results import iter_archive
from mcexplorer.core.bulk.csv_rows import CsvTable, RowIssue, write_csv
from mcexplorer.core.bulk.import_journal import Journal
from mcexplorer.core.http.engine import Engine
from mcexplorer.core.http.outcome import Outcome
from mcexplorer.core.http.paginate import paginate
from mcexplorer.core.http.request import ApiRequest, subscriber_hash
from mcexplorer.core.http.slots import MAX_LIMIT
from mcexplorer.core.problems.problem import Problem

STATUSES = ("subscribed", "unsubscribed", "cleaned", "pending", "transactional")
EMAIL_COLUMNS = ("email", "email_address", "email address", "e-mail", "emailaddress")
STATUS_COLUMN = "status"
EMAIL_RE = re.compile(
    r"^[^@\s\"(),:;<>\[\]\\]+@[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?\.[A-Za-z]{2,}$"
)
MAX_EMAIL = 254
# Knowing each member's earlier state costs one request per 1000 members; past this size
# the import does without it and reports "created or updated" together.
PREFETCH_LIMIT = 100_000
BATCH_SIZE = 5_000
MEMBER_ITEM = "/lists/{list_id}/members/{subscriber_hash}"

Result = Literal["created", "updated", "upserted", "unchanged", "failed", "resumed"]


class ImportSetupError(ValueError):
    """The import cannot start (bad header, unknown audience); nothing was sent."""


@dataclass(frozen=True)
class MergeField:
    tag: str
    name: str
    type: str
    required: bool = False


@dataclass(frozen=True)
class MemberRow:
    line: int
    email: str
    merge_fields: dict[str, str]
    status: str | None
    cells: dict[str, str]  # the row as read, for the failed-rows CSV

    @property
    def hash(self) -> str:
        return subscriber_hash(self.email)


@dataclass
class ImportPlan:
    list_id: str
    columns: list[str]
    rows: list[MemberRow] = field(default_factory=list)
    invalid: list[RowIssue] = field(default_factory=list)
    invalid_cells: dict[int, dict[str, str]] = field(default_factory=dict)


def valid_email(text: str) -> bool:
    return len(text) <= MAX_EMAIL and ".." not in text and bool(EMAIL_RE.match(text))


def _normal(name: str) -> str:
    return " ".join(name.strip().lower().replace("_", " ").split())


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def plan_import(list_id: str, table: CsvTable, merge_fields: Iterable[MergeField]) -> ImportPlan:
    """Map the columns and check every row; raises ImportSetupError for header problems."""
    fields_by_name: dict[str, MergeField] = {}
    for mf in merge_fields:
        fields_by_name[_normal(mf.tag)] = mf
        fields_by_name.setdefault(_normal(mf.name), mf)
    email_col: str | None = None
    status_col: str | None = None
    mapping: dict[str, MergeField] = {}
    unknown: list[str] = []
    for column in table.columns:
        key = _normal(column)
        if column.startswith("_"):
            continue
        if key in {_normal(c) for c in EMAIL_COLUMNS}:
            if email_col is not None:
                raise ImportSetupError(f"two address columns: {email_col!r} and {column!r}")
            email_col = column
        elif key == STATUS_COLUMN:
            status_col = column
        elif key in fields_by_name:
            mapping[column] = fields_by_name[key]
        else:
            unknown.append(column)
    if email_col is None:
        raise ImportSetupError(
            "no address column: name one of the columns email, email_address or Email Address"
        )
    if unknown:
        distinct = {mf.tag: mf for mf in fields_by_name.values()}.values()
        known = ", ".join(f"{mf.tag} ({mf.name})" for mf in distinct)
        raise ImportSetupError(
            f"column(s) {', '.join(map(repr, unknown))} are not merge fields of audience "
            f"{list_id}; its merge fields are: {known or 'none'}. Rename or remove them, or "
            "prefix a column with '_' to ignore it."
        )
    plan = ImportPlan(list_id, list(table.columns), invalid=list(table.issues))
    first_line: dict[str, int] = {}
    for row in table.rows:
        problems: list[str] = []
        email = row.values[email_col].strip()
        if not email:
            problems.append("no email address")
        elif not valid_email(email):
            problems.append(f"{email!r} is not a valid email address")
        elif email.lower() in first_line:
            problems.append(f"{email} already appears on line {first_line[email.lower()]}")
        status = row.values[status_col].strip().lower() if status_col else ""
        if status and status not in STATUSES:
            problems.append(f"status {status!r} is not one of {', '.join(STATUSES)}")
        merges: dict[str, str] = {}
        for column, mf in mapping.items():
            value = row.values[column].strip()
            if not value:
                continue
            if mf.type == "number" and not _is_number(value):
                problems.append(f"{column} must be a number, got {value!r}")
            merges[mf.tag] = value
        if problems:
            plan.invalid.append(RowIssue(row.line, "; ".join(problems)))
            plan.invalid_cells[row.line] = row.values
            continue
        first_line[email.lower()] = row.line
        plan.rows.append(MemberRow(row.line, email, merges, status or None, row.values))
    plan.invalid.sort(key=lambda issue: issue.line)
    return plan


def member_body(row: MemberRow, status_if_new: str) -> dict[str, Any]:
    body: dict[str, Any] = {"email_address": row.email, "status_if_new": status_if_new}
    if row.status:
        body["status"] = row.status
    if row.merge_fields:
        body["merge_fields"] = dict(row.merge_fields)
    return body


def row_key(row: MemberRow, status_if_new: str) -> str:
    """Identifies what is sent for a row: the same address with other values is another key."""
    text = json.dumps(member_body(row, status_if_new), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.lower().encode("utf-8")).hexdigest()[:24]


def upsert_request(list_id: str, row: MemberRow, status_if_new: str) -> ApiRequest:
    return ApiRequest(
        "PUT",
        MEMBER_ITEM,
        path_params={"list_id": list_id, "subscriber_hash": row.hash},
        body=member_body(row, status_if_new),
    )


def describe_problem(problem: Problem | None) -> str:
    if problem is None:
        return "failed without an answer"
    head = f"{problem.status} {problem.title}" if problem.status else problem.title
    parts = [head + (f": {problem.detail}" if problem.detail else "")]
    parts += [f"{e.field}: {e.message}" for e in problem.errors]
    return "; ".join(parts)


@dataclass(frozen=True)
class Existing:
    status: str
    merge_fields: dict[str, Any]


def classify(row: MemberRow, existing: dict[str, Existing] | None) -> Result:
    """What the upsert will do, judged from the audience as it was before the import."""
    if existing is None:
        return "upserted"
    before = existing.get(row.hash)
    if before is None or before.status == "archived":
        return "created"
    same_status = row.status is None or row.status == before.status
    same_fields = all(
        str(before.merge_fields.get(tag, "")) == value for tag, value in row.merge_fields.items()
    )
    return "unchanged" if same_status and same_fields else "updated"


async def fetch_merge_fields(engine: Engine, list_id: str) -> list[MergeField]:
    req = ApiRequest(
        "GET",
        "/lists/{list_id}/merge-fields",
        path_params={"list_id": list_id},
        query={
            "fields": "merge_fields.tag,merge_fields.name,merge_fields.type,"
            "merge_fields.required,total_items"
        },
    )
    found: list[MergeField] = []
    async for page in paginate(engine, req):
        if not page.ok:
            if page.status == 404:
                raise ImportSetupError(f"audience {list_id!r} does not exist on this account")
            raise ImportSetupError(
                f"reading the audience's merge fields failed: {describe_problem(page.problem)}"
            )
        for item in (page.json() or {}).get("merge_fields", []):
            found.append(
                MergeField(
                    tag=str(item.get("tag", "")),
                    name=str(item.get("name", "")),
                    type=str(item.get("type", "text")),
                    required=bool(item.get("required", False)),
                )
            )
    return found


async def fetch_existing(engine: Engine, list_id: str) -> dict[str, Existing] | None:
    """Every member's status and merge fields, or None when the audience is too big for it."""
    req = ApiRequest(
        "GET",
        "/lists/{list_id}/members",
        path_params={"list_id": list_id},
        query={"fields": "members.id,members.status,members.merge_fields,total_items"},
    )
    found: dict[str, Existing] = {}
    async for page in paginate(engine, req):
        data = page.json() or {}
        if not page.ok:
            raise ImportSetupError(
                f"reading the audience's members failed: {describe_problem(page.problem)}"
            )
        if int(data.get("total_items") or 0) > PREFETCH_LIMIT:
            return None
        for item in data.get("members", []):
            found[str(item["id"])] = Existing(
                str(item.get("status", "")), dict(item.get("merge_fields") or {})
            )
    return found


@dataclass(frozen=True)
class RowOutcome:
    row: MemberRow
    result: Result
    reason: str = ""


@dataclass
class ImportReport:
    counts: dict[str, int] = field(default_factory=dict)
    failed: list[RowOutcome] = field(default_factory=list)
    invalid: list[RowIssue] = field(default_factory=list)
    requests: int = 0  # member writes sent (direct) or operations submitted (batch)
    batches: list[str] = field(default_factory=list)

    def add(self, outcome: RowOutcome) -> None:
        self.counts[outcome.result] = self.counts.get(outcome.result, 0) + 1
        if outcome.result == "failed":
            self.failed.append(outcome)

    def summary(self) -> str:
        order = ("created", "updated", "upserted", "unchanged", "resumed", "failed")
        names = {
            "upserted": "created or updated",
            "resumed": "already done by an earlier run",
        }
        parts = [f"{self.counts.get(k, 0)} {names.get(k, k)}" for k in order if k in self.counts]
        if "failed" not in self.counts:
            parts.append("0 failed")
        if self.invalid:
            parts.append(f"{len(self.invalid)} invalid rows skipped")
        return ", ".join(parts)

    @property
    def ok(self) -> bool:
        return not self.failed and not self.invalid


RowCallback = Callable[[RowOutcome], None]


class MembersImport:
    """One import run; the journal (when given) records each success and is consulted first."""

    def __init__(
        self,
        engine: Engine,
        plan: ImportPlan,
        *,
        status_if_new: str = "subscribed",
        journal: Journal | None = None,
        existing: dict[str, Existing] | None = None,
        on_row: RowCallback | None = None,
    ) -> None:
        if status_if_new not in STATUSES:
            raise ValueError(f"status_if_new must be one of {', '.join(STATUSES)}")
        self.engine = engine
        self.plan = plan
        self.status_if_new = status_if_new
        self.journal = journal
        self.existing = existing
        self.on_row = on_row
        self.report = ImportReport(invalid=list(plan.invalid))

    def _finish(self, outcome: RowOutcome) -> None:
        self.report.add(outcome)
        if self.on_row is not None:
            self.on_row(outcome)

    def _todo(self) -> list[tuple[MemberRow, str, Result]]:
        """Rows still to send, with their key and expected result; the rest are settled here."""
        todo: list[tuple[MemberRow, str, Result]] = []
        for row in self.plan.rows:
            key = row_key(row, self.status_if_new)
            if self.journal is not None and self.journal.is_done(key):
                self._finish(RowOutcome(row, "resumed"))
                continue
            expected = classify(row, self.existing)
            if expected == "unchanged":
                self._finish(RowOutcome(row, "unchanged"))
                continue
            todo.append((row, key, expected))
        return todo

    def _success(self, row: MemberRow, key: str, expected: Result) -> None:
        if self.journal is not None:
            self.journal.record_done(key, expected)
        self._finish(RowOutcome(row, expected))

    async def run_direct(self, concurrency: int = MAX_LIMIT) -> ImportReport:
        """Upsert every remaining row, `concurrency` at a time through the engine's slots."""
        if not 1 <= concurrency <= MAX_LIMIT:
            raise ValueError(f"concurrency must be between 1 and {MAX_LIMIT}")
        queue = iter(self._todo())

        async def worker() -> None:
            for row, key, expected in queue:  # one shared iterator: each row goes to one worker
                req = upsert_request(self.plan.list_id, row, self.status_if_new)
                self.report.requests += 1
                outcome: Outcome = await self.engine.send(req)
                if outcome.ok:
                    self._success(row, key, expected)
                else:
                    reason = describe_problem(outcome.problem)
                    if outcome.unknown_outcome:
                        reason = "outcome unknown (it may have been applied): " + reason
                    self._finish(RowOutcome(row, "failed", reason))

        async with asyncio.TaskGroup() as group:
            for _ in range(concurrency):
                group.create_task(worker())
        return self.report

    async def run_batch(
        self,
        jobs: BatchJobs,
        *,
        batch_size: int = BATCH_SIZE,
        on_status: Callable[[BatchStatus], None] | None = None,
    ) -> ImportReport:
        """The same upserts as operations of one or more batches; waits for their results."""
        todo = self._todo()
        by_key = {key: (row, expected) for row, key, expected in todo}
        if self.journal is not None:
            for batch_id, keys in list(self.journal.state.batches.items()):
                pending = {k: by_key.pop(k) for k in keys if k in by_key}
                if not await self._collect(jobs, batch_id, pending, on_status, resumed=True):
                    by_key.update(pending)  # that batch is gone: its rows go out again
        remaining = list(by_key.items())
        for start in range(0, len(remaining), batch_size):
            chunk = dict(remaining[start : start + batch_size])
            operations = [
                BatchOperation.from_request(
                    upsert_request(self.plan.list_id, row, self.status_if_new), key
                )
                for key, (row, _) in chunk.items()
            ]
            status = await jobs.submit(operations)
            self.report.requests += len(operations)
            if self.journal is not None:
                self.journal.record_batch(status.id, list(chunk))
            await self._collect(jobs, status.id, chunk, on_status)
        return self.report

    async def _collect(
        self,
        jobs: BatchJobs,
        batch_id: str,
        rows: dict[str, tuple[MemberRow, Result]],
        on_status: Callable[[BatchStatus], None] | None,
        *,
        resumed: bool = False,
    ) -> bool:
        """Wait for a batch and settle its rows from the results archive; False when the
        batch of an interrupted run no longer exists (its rows are then not settled)."""
        self.report.batches.append(batch_id)
        try:
            await jobs.wait(batch_id, on_status)
        except BatchApiError as exc:
            gone = exc.problem is not None and exc.problem.status == 404
            if not (resumed and gone):
                raise
            if self.journal is not None:
                self.journal.close_batch(batch_id)
            return False
        async with jobs.download(batch_id) as archive:
            for result in iter_archive(archive):
                entry = rows.pop(result.operation_id or "", None)
                if entry is None:
                    continue  # another page of an operation already settled, or not ours
                row, expected = entry
                if result.ok:
                    self._success(row, result.operation_id or "", expected)
                else:
                    self._finish(RowOutcome(row, "failed", describe_problem(result.problem())))
        for row, _ in rows.values():
            self._finish(RowOutcome(row, "failed", f"batch {batch_id} returned no result for it"))
        if self.journal is not None:
            self.journal.close_batch(batch_id)
        return True


FAILED_COLUMNS = ("_line", "_reason")


def write_failed_csv(path: Path, plan: ImportPlan, report: ImportReport) -> int:
    """Invalid and failed rows, with the line they came from and why; importable as is.
    Returns how many rows were written."""
    columns = [c for c in plan.columns if c not in FAILED_COLUMNS] + list(FAILED_COLUMNS)
    rows: list[tuple[int, dict[str, str]]] = []
    for issue in report.invalid:
        cells = plan.invalid_cells.get(issue.line, {})
        rows.append((issue.line, {**cells, "_line": str(issue.line), "_reason": issue.message}))
    for failed in report.failed:
        line = failed.row.line
        rows.append((line, {**failed.row.cells, "_line": str(line), "_reason": failed.reason}))
    rows.sort(key=lambda item: item[0])
    write_csv(path, columns, (cells for _, cells in rows))
    return len(rows)
