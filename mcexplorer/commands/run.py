"""`mcexplorer run PATH`: send one saved request or a whole collection, headless (CI)."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from mcexplorer.commands.target import TargetError, add_target_options, open_target
from mcexplorer.core.accounts.target import Target
from mcexplorer.core.atomic import SaveError
from mcexplorer.core.collections.format import CollectionFileError
from mcexplorer.core.history.store import Recorder
from mcexplorer.core.http.engine import Engine
from mcexplorer.core.http.slots import MAX_LIMIT
from mcexplorer.core.session.run import RunItem, RunReport, RunResult, load_run_items, run_items


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    run = subparsers.add_parser(
        "run", help="send a saved request or every request of a collection folder"
    )
    run.add_argument("path", type=Path, help="a *.request.json file or a collection folder")
    add_target_options(run)
    run.add_argument(
        "--concurrency",
        type=int,
        default=4,
        metavar="C",
        help=f"requests in flight at once (1-{MAX_LIMIT}, default 4)",
    )
    run.add_argument(
        "--report", type=Path, metavar="FILE", help="write FILE.json or FILE.xml (JUnit)"
    )
    run.add_argument("--no-history", action="store_true", help="do not record these requests")
    run.set_defaults(func=_run)


def _print_result(result: RunResult) -> None:
    if result.error is not None:
        print(f"ERROR  {result.name}: {result.error}", flush=True)
        return
    mark = "ok  " if result.ok else "FAIL"
    status = result.status if result.status is not None else "---"
    retries = f"  ({result.retries} retries)" if result.retries else ""
    title = f"  {result.title}" if result.title and not result.ok else ""
    print(
        f"{mark}   {status}  {result.method:<6} {result.path}  {result.elapsed_ms:.0f} ms"
        f"{retries}{title}  [{result.name}]",
        flush=True,
    )


async def _send_all(
    args: argparse.Namespace, target: Target, report_items: list[RunItem]
) -> RunReport:
    record = Recorder(
        profile=target.profile,
        base_url=target.base_url,
        credentials=target.credentials,
        enabled=not args.no_history,
        warn=lambda message: print(f"warning: {message}", file=sys.stderr),
    )

    async with Engine(target.base_url, target.credentials) as engine:
        return await run_items(
            engine,
            report_items,
            concurrency=args.concurrency,
            on_outcome=record,
            on_result=_print_result,
        )


def _run(args: argparse.Namespace) -> int:
    if not 1 <= args.concurrency <= MAX_LIMIT:
        print(f"error: --concurrency must be between 1 and {MAX_LIMIT}.", file=sys.stderr)
        return 2
    if args.report is not None and args.report.suffix.lower() not in (".json", ".xml"):
        print(f"error: report {args.report}: use a .json or .xml file name.", file=sys.stderr)
        return 2
    try:
        items = load_run_items(args.path)
    except (FileNotFoundError, CollectionFileError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if not items:
        print(f"error: no *.request.json files under {args.path}.", file=sys.stderr)
        return 2
    try:
        with open_target(args) as target:
            if target.notice:
                print(target.notice, file=sys.stderr)
            report = asyncio.run(_send_all(args, target, items))
    except TargetError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    failed = len(report.failed)
    print(
        f"\n{len(report.results)} requests: {len(report.results) - failed} passed, "
        f"{failed} failed in {report.elapsed_ms / 1000:.1f} s"
    )
    if args.report is not None:
        try:
            report.write(args.report)
        except SaveError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        print(f"Report: {args.report}")
    return 1 if failed else 0
