"""`mcexplorer batch submit|status|results|list|delete`: Batch Operations from the terminal."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TypeVar

from mcexplorer.commands.output import error
from mcexplorer.commands.target import TargetError, add_target_options, open_target
from mcexplorer.core.atomic import SaveError
from mcexplorer.core.bulk.batch import (
    BatchOperation,
    BatchSourceError,
    ComposedBatch,
    compose_from_files,
    compose_from_requests,
    recall_operations,
    remember_operations,
    validate_batch,
    write_operations_csv,
)
from mcexplorer.core.bulk.batch_jobs import BatchApiError, BatchJobs, BatchStatus
from mcexplorer.core.bulk.batch_results import ArchiveError, OperationResult, iter_archive
from mcexplorer.core.bulk.csv_rows import write_csv
from mcexplorer.core.collections.format import SavedRequest
from mcexplorer.core.collections.store import Collection
from mcexplorer.core.history.store import HistoryError, HistoryStore
from mcexplorer.core.http.engine import Engine
from mcexplorer.core.http.request import ApiRequest, parse_body_text
from mcexplorer.core.problems.glossary import Glossary

T = TypeVar("T")
RESULT_COLUMNS = ["operation_id", "status_code", "title", "meaning", "detail"]


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    batch = subparsers.add_parser("batch", help="Batch Operations: submit, follow, read results")
    actions = batch.add_subparsers(dest="batch_action", metavar="ACTION", required=True)

    submit = actions.add_parser("submit", help="send operations as one batch")
    submit.add_argument(
        "files",
        nargs="*",
        type=Path,
        metavar="FILE",
        help="a CSV (method,path,params,body,operation_id), a JSON operations file, "
        "*.request.json files or collection folders",
    )
    submit.add_argument(
        "--history", metavar="IDS", help="add history entries by id, comma-separated: 12,15"
    )
    submit.add_argument("--wait", action="store_true", help="wait until it is finished")
    submit.set_defaults(func=_submit)

    status = actions.add_parser("status", help="show a batch's state")
    status.add_argument("batch_id", metavar="ID")
    status.add_argument("--wait", action="store_true", help="poll until it is finished")
    status.set_defaults(func=_status)

    results = actions.add_parser("results", help="download and show a finished batch's results")
    results.add_argument("batch_id", metavar="ID")
    results.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="DIR",
        help="write ID-results.csv and, for failures, files to retry them",
    )
    results.add_argument(
        "--all", action="store_true", help="list every operation, not only failed ones"
    )
    results.set_defaults(func=_results)

    listing = actions.add_parser("list", help="batches of the last 7 days")
    listing.set_defaults(func=_list)

    delete = actions.add_parser("delete", help="stop and delete a batch")
    delete.add_argument("batch_id", metavar="ID")
    delete.set_defaults(func=_delete)

    for parser in (submit, status, results, listing, delete):
        add_target_options(parser)


def _with_jobs(args: argparse.Namespace, work: Callable[[BatchJobs], Awaitable[T]]) -> T:
    """Open the target and an engine, run `work`; TargetError / BatchApiError go up."""

    async def run(engine: Engine) -> T:
        async with engine:
            return await work(BatchJobs(engine))

    with open_target(args) as target:
        if target.notice:
            print(target.notice, file=sys.stderr)
        return asyncio.run(run(Engine(target.base_url, target.credentials)))


def _guarded(action: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    def wrapper(args: argparse.Namespace) -> int:
        try:
            return action(args)
        except TargetError as exc:
            error(str(exc))
            return 2
        except (BatchApiError, ArchiveError, SaveError) as exc:
            error(str(exc))
            hint = getattr(exc, "hint", "")
            problem = getattr(exc, "problem", None)
            entry = Glossary.load().lookup(problem) if problem is not None else None
            if entry is not None:
                print(f"  {entry.title}: {entry.meaning}", file=sys.stderr)
                for step in entry.next_steps:
                    print(f"  next: {step}", file=sys.stderr)
            if hint and (entry is None or "webhook" not in entry.key):
                print(f"  {hint}", file=sys.stderr)
            return 1
        except KeyboardInterrupt:
            error("interrupted")
            return 130

    return wrapper


def _progress(current: BatchStatus) -> None:
    print(current.line(), file=sys.stderr, flush=True)


def _history_requests(ids: str) -> list[tuple[str, ApiRequest]]:
    store = HistoryStore()
    found: list[tuple[str, ApiRequest]] = []
    for raw in ids.split(","):
        raw = raw.strip()
        if not raw.isdigit():
            raise BatchSourceError(f"--history: {raw!r} is not a history id")
        entry = store.get(int(raw))
        if entry is None:
            raise BatchSourceError(f"--history: no history entry {raw}")
        found.append((f"history-{raw}", entry.outcome.request))
    return found


def _compose(args: argparse.Namespace) -> tuple[ComposedBatch, list[str]]:
    batch, problems = compose_from_files(args.files)
    if args.history:
        problems += compose_from_requests(batch, _history_requests(args.history))
    return batch, problems


@_guarded
def _submit(args: argparse.Namespace) -> int:
    if not args.files and not args.history:
        error("name at least one FILE or --history IDS")
        return 2
    try:
        batch, problems = _compose(args)
    except (BatchSourceError, HistoryError) as exc:
        error(str(exc))
        return 2
    issues = [str(i) for i in validate_batch(batch.operations, batch.origins)]
    if problems or issues:
        error("the batch was not sent:")
        for line in problems + issues:
            print(f"  {line}", file=sys.stderr)
        return 2

    async def work(jobs: BatchJobs) -> BatchStatus:
        submitted = await jobs.submit(batch.operations)
        print(f"submitted batch {submitted.id} with {len(batch.operations)} operations")
        try:
            remember_operations(submitted.id, batch.operations)
        except SaveError as exc:
            print(f"warning: {exc} (failed operations cannot be exported)", file=sys.stderr)
        if not args.wait:
            return submitted
        return await jobs.wait(submitted.id, _progress)

    final = _with_jobs(args, work)
    print(final.line())
    return 0 if final.errored == 0 else 1


@_guarded
def _status(args: argparse.Namespace) -> int:
    async def work(jobs: BatchJobs) -> BatchStatus:
        if args.wait:
            return await jobs.wait(args.batch_id, _progress)
        return await jobs.status(args.batch_id)

    current = _with_jobs(args, work)
    print(current.line())
    if current.submitted_at:
        print(f"  submitted {current.submitted_at}", end="")
        print(f", completed {current.completed_at}" if current.completed_at else "")
    return 0


def result_row(result: OperationResult, glossary: Glossary) -> dict[str, str]:
    problem = result.problem()
    entry = glossary.lookup(problem) if problem is not None else None
    return {
        "operation_id": result.operation_id or "",
        "status_code": str(result.status_code),
        "title": problem.title if problem else "",
        "meaning": entry.title if entry else "",
        "detail": problem.detail if problem else "",
    }


def _table_line(row: dict[str, str]) -> str:
    title = row["title"] + (f" [{row['meaning']}]" if row["meaning"] else "")
    detail = f" — {row['detail']}" if row["detail"] else ""
    return f"{row['status_code']:>4}  {row['operation_id'] or '-':<24} {title}{detail}".rstrip()


@_guarded
def _results(args: argparse.Namespace) -> int:
    glossary = Glossary.load()
    counts = {"ok": 0, "failed": 0}
    failed_ids: list[str] = []
    out_dir: Path | None = args.output
    rows_for_csv: list[dict[str, str]] = []

    async def work(jobs: BatchJobs) -> None:
        async with jobs.download(args.batch_id) as archive:
            print(f"{'code':>4}  {'operation_id':<24} problem")
            for result in iter_archive(archive):
                row = result_row(result, glossary)
                counts["ok" if result.ok else "failed"] += 1
                if not result.ok and result.operation_id:
                    failed_ids.append(result.operation_id)
                if args.all or not result.ok:
                    print(_table_line(row))
                if out_dir is not None:
                    rows_for_csv.append(row)

    _with_jobs(args, work)
    print(
        f"\n{counts['ok'] + counts['failed']} results: {counts['ok']} ok, {counts['failed']} failed"
    )
    if out_dir is not None:
        path = out_dir / f"{args.batch_id}-results.csv"
        write_csv(path, RESULT_COLUMNS, rows_for_csv)
        print(f"results: {path}")
        if failed_ids:
            _export_failed(args.batch_id, failed_ids, out_dir)
    return 1 if counts["failed"] else 0


def _export_failed(batch_id: str, failed_ids: list[str], out_dir: Path) -> None:
    sent = recall_operations(batch_id)
    if sent is None:
        print(
            "failed operations not exported: this batch was not submitted from this machine",
            file=sys.stderr,
        )
        return
    failed = [sent[i] for i in dict.fromkeys(failed_ids) if i in sent]
    csv_path = out_dir / f"{batch_id}-failed.csv"
    write_operations_csv(csv_path, failed)
    collection = Collection(root=out_dir / f"{batch_id}-failed")
    for op in failed:
        collection.save(op.operation_id or "operation", SavedRequest(_as_request(op)), force=True)
    print(f"failed operations: {csv_path} (batch submit) and {collection.root}/ (collection)")


def _as_request(op: BatchOperation) -> ApiRequest:
    body = parse_body_text(op.body) if op.body else None
    return ApiRequest(op.method, op.path, query=dict(op.params or {}), body=body)


@_guarded
def _list(args: argparse.Namespace) -> int:
    found = _with_jobs(args, lambda jobs: jobs.list())
    if not found:
        print("no batches in the last 7 days")
    for item in found:
        print(f"{item.line()}  submitted {item.submitted_at}")
    return 0


@_guarded
def _delete(args: argparse.Namespace) -> int:
    _with_jobs(args, lambda jobs: jobs.delete(args.batch_id))
    print(f"deleted batch {args.batch_id}")
    return 0
