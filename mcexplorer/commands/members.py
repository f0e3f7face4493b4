"""`mcexplorer members import LIST_ID FILE.csv`: check rows locally, then upsert them all."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from mcexplorer.commands.output import error
from mcexplorer.commands.target import TargetError, add_target_options, open_target
from mcexplorer.core.accounts.target import Target
from mcexplorer.core.atomic import SaveError
from mcexplorer.core.bulk.batch_jobs import BatchApiError, BatchStatus
from mcexplorer.core.bulk.batch_results import ArchiveError
from mcexplorer.core.bulk.csv_rows import CsvFileError
from mcexplorer.core.bulk.import_journal import JournalError, journal_path_for
from mcexplorer.core.bulk.members_import import (
    STATUSES,
    ImportPlan,
    ImportReport,
    ImportSetupError,
    RowOutcome,
)
from mcexplorer.core.bulk.progress import ProgressMeter, ProgressPrinter
from mcexplorer.core.http.engine import Engine
from mcexplorer.core.http.slots import MAX_LIMIT
from mcexplorer.core.session.members import ImportRun, preview_import, run_import

MAX_SHOWN_INVALID = 50


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    members = subparsers.add_parser("members", help="audience members in bulk")
    actions = members.add_subparsers(dest="members_action", metavar="ACTION", required=True)
    imp = actions.add_parser(
        "import", help="upsert members from a CSV (email column, status, merge fields)"
    )
    imp.add_argument("list_id", metavar="LIST_ID")
    imp.add_argument("file", type=Path, metavar="FILE.csv")
    imp.add_argument(
        "--via",
        choices=("direct", "batch"),
        default="direct",
        help="direct: one PUT per row within the slots (default); batch: the Batch API",
    )
    imp.add_argument(
        "--concurrency",
        type=int,
        default=MAX_LIMIT,
        metavar="C",
        help=f"rows in flight at once with --via direct (1-{MAX_LIMIT}, default {MAX_LIMIT})",
    )
    imp.add_argument(
        "--status-if-new",
        choices=STATUSES,
        default="subscribed",
        help="status given to addresses not yet in the audience (default subscribed)",
    )
    resume = imp.add_mutually_exclusive_group()
    resume.add_argument(
        "--resume",
        action="store_true",
        help="continue an interrupted import: rows it finished are not sent again",
    )
    resume.add_argument(
        "--restart", action="store_true", help="forget an interrupted import and start over"
    )
    imp.add_argument(
        "--failed-csv",
        type=Path,
        metavar="PATH",
        help="where to write invalid and failed rows (default FILE.failed.csv)",
    )
    add_target_options(imp)
    imp.set_defaults(func=_import)


def _print_invalid(plan: ImportPlan) -> None:
    if not plan.invalid:
        return
    print(f"{len(plan.invalid)} invalid rows (not sent):", file=sys.stderr)
    for issue in plan.invalid[:MAX_SHOWN_INVALID]:
        print(f"  {issue}", file=sys.stderr)
    if len(plan.invalid) > MAX_SHOWN_INVALID:
        print(f"  ... and {len(plan.invalid) - MAX_SHOWN_INVALID} more", file=sys.stderr)


async def _run(args: argparse.Namespace, target: Target) -> ImportReport:
    async with Engine(target.base_url, target.credentials) as engine:
        preview = await preview_import(engine, args.list_id, args.file)
        _print_invalid(preview.plan)
        meter = ProgressMeter(len(preview.plan.rows))
        printer = ProgressPrinter(sys.stderr, meter, label="import")

        def on_row(outcome: RowOutcome) -> None:
            meter.advance(failed=outcome.result == "failed")
            printer.update()

        def on_status(current: BatchStatus) -> None:
            print(f"\n{current.line()}" if printer.tty else current.line(), file=sys.stderr)

        run = await run_import(
            engine,
            preview.plan,
            args.file,
            via=args.via,
            concurrency=args.concurrency,
            status_if_new=args.status_if_new,
            resume=args.resume,
            failed_csv=args.failed_csv,
            on_row=on_row,
            on_status=on_status,
        )
        printer.finish()
    _finish(args, run)
    return run.report


def _finish(args: argparse.Namespace, run: ImportRun) -> None:
    report = run.report
    print(report.summary())
    print(f"{report.requests} member writes sent ({args.via})")
    for failed in report.failed[:MAX_SHOWN_INVALID]:
        print(f"  line {failed.row.line}: {failed.row.email}: {failed.reason}", file=sys.stderr)
    if run.failed_csv is not None:
        print(f"{run.failed_rows} rows to fix and re-run: {run.failed_csv}")
    if run.journal is not None:
        print(f"journal kept: {run.journal} (--resume sends only the rest)", file=sys.stderr)


def _import(args: argparse.Namespace) -> int:
    if not 1 <= args.concurrency <= MAX_LIMIT:
        error(f"--concurrency must be between 1 and {MAX_LIMIT}")
        return 2
    journal_path = journal_path_for(args.file)
    if args.resume and not journal_path.exists():
        error(f"nothing to resume: {journal_path} does not exist")
        return 2
    if journal_path.exists() and not (args.resume or args.restart):
        error(
            f"an earlier import of {args.file} did not finish ({journal_path}); "
            "pass --resume to skip the rows it already imported, or --restart to start over"
        )
        return 2
    try:
        with open_target(args) as target:
            if target.notice:
                print(target.notice, file=sys.stderr)
            report = asyncio.run(_run(args, target))
    except (TargetError, CsvFileError, ImportSetupError, JournalError) as exc:
        error(f"{exc} (nothing was sent)" if not isinstance(exc, TargetError) else str(exc))
        return 2
    except (BatchApiError, ArchiveError, SaveError) as exc:
        error(str(exc))
        if journal_path.exists():
            print(f"rerun with --resume to continue ({journal_path})", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(file=sys.stderr)
        error(f"interrupted; rerun with --resume to continue ({journal_path})")
        return 130
    return 0 if report.ok else 1
