"""Batch operations: the operation model, composing a batch, and checking it before it goes.

An operation is what `POST /batches` takes in its `operations` array: method, path relative
to /3.0, query `params`, a body that is a JSON *string* (the API parses it itself), and an
optional operation_id that comes back with the result. Sources: saved requests, history
entries, a CSV (method,path,params,body,operation_id) or a JSON file.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import platformdirs

from mcexplorer.core.bulk.csv_rows import CsvFileError, read_csv_file, write_csv
from mcexplorer.core.collections.format import CollectionFileError
from mcexplorer.core.collections.store import Collection, load_request_file
from mcexplorer.core.http.request import ApiRequest, RequestInvalid, ValidationIssue, placeholders

BATCH_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
CSV_COLUMNS = ["method", "path", "params", "body", "operation_id"]
# Beyond this the payload gets large for one POST; split the work into several batches.
MAX_OPERATIONS = 10_000


class BatchSourceError(ValueError):
    """A batch source file cannot be read; the message names the file and the cause."""


@dataclass(frozen=True)
class BatchOperation:
    method: str
    path: str  # already filled, relative to the API root: /lists/abc/members
    params: dict[str, str] | None = None
    body: str | None = None  # JSON text, exactly as the API wants it
    operation_id: str | None = None

    def validate(self) -> list[ValidationIssue]:
        issues: list[ValidationIssue] = []
        method = self.method.upper()
        if method not in BATCH_METHODS:
            issues.append(
                ValidationIssue(
                    "method", f"{self.method!r} is not one of {', '.join(BATCH_METHODS)}"
                )
            )
        if not self.path.startswith("/") or "://" in self.path:
            issues.append(ValidationIssue("path", "must be relative to the API root, like /lists"))
        elif placeholders(self.path):
            names = ", ".join("{" + n + "}" for n in placeholders(self.path))
            issues.append(ValidationIssue("path", f"has unfilled placeholders: {names}"))
        if self.params and method != "GET":
            issues.append(ValidationIssue("params", "query params are only applied to GET"))
        if self.body is not None:
            if method in ("GET", "DELETE"):
                issues.append(ValidationIssue("body", f"a {method} operation takes no body"))
            else:
                try:
                    json.loads(self.body)
                except ValueError as exc:
                    issues.append(ValidationIssue("body", f"not valid JSON: {exc}"))
        return issues

    def to_payload(self) -> dict[str, Any]:
        data: dict[str, Any] = {"method": self.method.upper(), "path": self.path}
        if self.params:
            data["params"] = dict(self.params)
        if self.body is not None:
            data["body"] = self.body
        if self.operation_id is not None:
            data["operation_id"] = self.operation_id
        return data

    def to_csv_row(self) -> dict[str, str]:
        return {
            "method": self.method.upper(),
            "path": self.path,
            "params": json.dumps(self.params) if self.params else "",
            "body": self.body or "",
            "operation_id": self.operation_id or "",
        }

    @classmethod
    def from_request(cls, req: ApiRequest, operation_id: str | None = None) -> BatchOperation:
        """A request as a batch operation; raises RequestInvalid when it cannot be one."""
        req.check()
        return cls(
            method=req.method.upper(),
            path=req.render_path(),
            params=dict(req.query) or None,
            body=None if req.body is None else json.dumps(req.body),
            operation_id=operation_id,
        )

    @classmethod
    def from_payload(cls, data: Any, where: str) -> BatchOperation:
        if not isinstance(data, dict):
            raise BatchSourceError(f"{where}: an operation must be an object")
        body = data.get("body")
        if body is not None and not isinstance(body, str):
            body = json.dumps(body)  # friendlier than refusing: the API wants the text form
        params = data.get("params")
        if params is not None and not isinstance(params, dict):
            raise BatchSourceError(f"{where}: params must be an object")
        op_id = data.get("operation_id")
        return cls(
            method=str(data.get("method", "")),
            path=str(data.get("path", "")),
            params={str(k): _param_text(v) for k, v in params.items()} if params else None,
            body=body,
            operation_id=None if op_id is None else str(op_id),
        )


def _param_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ",".join(map(str, value))
    return str(value)


@dataclass(frozen=True)
class OperationIssue:
    index: int  # 0-based position in the batch
    where: str  # "operation 3 (add-bea)" or "line 7"
    issue: ValidationIssue

    def __str__(self) -> str:
        return f"{self.where}: {self.issue}"


def validate_batch(
    operations: list[BatchOperation], origins: list[str] | None = None
) -> list[OperationIssue]:
    """Every problem with the batch as a whole and with each operation, before anything is sent.

    operation_ids must be unique here (the API does not insist) because results are matched
    back to their operations by them.
    """
    found: list[OperationIssue] = []
    if not operations:
        found.append(OperationIssue(-1, "batch", ValidationIssue("operations", "nothing to send")))
    if len(operations) > MAX_OPERATIONS:
        found.append(
            OperationIssue(
                -1,
                "batch",
                ValidationIssue(
                    "operations",
                    f"{len(operations)} operations; split into batches of at most {MAX_OPERATIONS}",
                ),
            )
        )
    first_seen: dict[str, str] = {}
    for index, op in enumerate(operations):
        where = origins[index] if origins else f"operation {index + 1}"
        found += [OperationIssue(index, where, issue) for issue in op.validate()]
        if op.operation_id is not None:
            if op.operation_id in first_seen:
                message = f"{op.operation_id!r} is also used by {first_seen[op.operation_id]}"
                found.append(OperationIssue(index, where, ValidationIssue("operation_id", message)))
            else:
                first_seen[op.operation_id] = where
    return found


def batch_payload(operations: Iterable[BatchOperation]) -> dict[str, Any]:
    return {"operations": [op.to_payload() for op in operations]}


@dataclass
class ComposedBatch:
    operations: list[BatchOperation]
    origins: list[str]  # where each operation came from, for messages

    def add(self, op: BatchOperation, origin: str) -> None:
        self.operations.append(op)
        self.origins.append(origin)


def _default_id(base: str, taken: set[str]) -> str:
    name, n = base, 2
    while name in taken:
        name, n = f"{base}-{n}", n + 1
    taken.add(name)
    return name


def compose_from_requests(
    batch: ComposedBatch, named: Iterable[tuple[str, ApiRequest]]
) -> list[str]:
    """Add requests (with a name used as operation_id); returns problems for ones that cannot
    become operations."""
    problems: list[str] = []
    taken = {op.operation_id for op in batch.operations if op.operation_id}
    for name, req in named:
        try:
            op = BatchOperation.from_request(req, _default_id(name, taken))
        except RequestInvalid as exc:
            problems.append(f"{name}: {exc}")
            continue
        batch.add(op, name)
    return problems


def requests_from_path(path: Path) -> list[tuple[str, ApiRequest]]:
    """Saved requests: one *.request.json file, or every request of a collection folder."""
    try:
        if path.is_dir():
            collection = Collection.load(path)
            if collection.errors:
                raise BatchSourceError("; ".join(str(e) for e in collection.errors))
            return [(item.name, collection.resolve(item)) for item in collection.items]
        return [(path.name.split(".")[0], load_request_file(path).request)]
    except (CollectionFileError, FileNotFoundError, OSError) as exc:
        raise BatchSourceError(str(exc)) from None


def operations_from_csv(path: Path) -> ComposedBatch:
    """A CSV with columns method,path and optionally params (JSON object or a=1&b=2), body
    (JSON text) and operation_id."""
    try:
        table = read_csv_file(path)
    except CsvFileError as exc:
        raise BatchSourceError(str(exc)) from None
    columns = {c.lower(): c for c in table.columns}
    missing = [c for c in ("method", "path") if c not in columns]
    if missing:
        raise BatchSourceError(f"{path}: the header needs the column(s) {', '.join(missing)}")
    if table.issues:
        raise BatchSourceError("; ".join(f"{path}, {issue}" for issue in table.issues))
    batch = ComposedBatch([], [])
    for row in table.rows:
        where = f"{path.name}, line {row.line}"

        def cell(name: str, values: dict[str, str] = row.values) -> str:
            return values.get(columns.get(name, ""), "").strip()

        batch.add(
            BatchOperation(
                method=cell("method"),
                path=cell("path"),
                params=_parse_params(cell("params"), where),
                body=cell("body") or None,
                operation_id=cell("operation_id") or None,
            ),
            where,
        )
    return batch


def _parse_params(text: str, where: str) -> dict[str, str] | None:
    if not text:
        return None
    if text.startswith("{"):
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise BatchSourceError(f"{where}: params is not valid JSON: {exc}") from None
        if not isinstance(data, dict):
            raise BatchSourceError(f"{where}: params must be a JSON object")
        return {str(k): _param_text(v) for k, v in data.items()}
    return dict(parse_qsl(text.lstrip("?"), keep_blank_values=True))


def operations_from_json(path: Path) -> ComposedBatch:
    """`{"operations": [...]}` (the API's own body) or a bare list of operations."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise BatchSourceError(f"{path}: {exc}") from None
    except ValueError as exc:
        raise BatchSourceError(f"{path}: not valid JSON: {exc}") from None
    items = data.get("operations") if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise BatchSourceError(f"{path}: expected {{'operations': [...]}} or a list")
    batch = ComposedBatch([], [])
    for index, item in enumerate(items):
        where = f"{path.name}, operation {index + 1}"
        batch.add(BatchOperation.from_payload(item, where), where)
    return batch


def compose_from_files(paths: Iterable[Path]) -> tuple[ComposedBatch, list[str]]:
    """A batch from CSV, JSON operations files, saved request files and collection folders."""
    batch = ComposedBatch([], [])
    problems: list[str] = []
    for path in paths:
        if path.suffix.lower() == ".csv":
            part = operations_from_csv(path)
        elif path.is_file() and not path.name.endswith(".request.json"):
            part = operations_from_json(path)
        else:
            problems += compose_from_requests(batch, requests_from_path(path))
            continue
        for op, origin in zip(part.operations, part.origins, strict=True):
            batch.add(op, origin)
    return batch, problems


def write_operations_csv(path: Path, operations: Iterable[BatchOperation]) -> None:
    """Operations in the CSV form `batch submit` reads back."""
    write_csv(path, CSV_COLUMNS, (op.to_csv_row() for op in operations))


def submitted_operations_path(batch_id: str) -> Path:
    """Where `batch submit` keeps a copy of what it sent, so failed operations can be
    exported for a retry later (results only carry operation_ids)."""
    safe = "".join(ch for ch in batch_id if ch.isalnum() or ch in "-_") or "batch"
    return platformdirs.user_data_path("mcexplorer", appauthor=False) / "batches" / f"{safe}.csv"


def remember_operations(batch_id: str, operations: Iterable[BatchOperation]) -> Path:
    path = submitted_operations_path(batch_id)
    write_operations_csv(path, operations)
    return path


def recall_operations(batch_id: str) -> dict[str, BatchOperation] | None:
    """The operations sent with a batch, by operation_id; None when this machine did not send it."""
    path = submitted_operations_path(batch_id)
    if not path.exists():
        return None
    return {op.operation_id: op for op in operations_from_csv(path).operations if op.operation_id}
