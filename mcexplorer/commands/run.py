"""`mcexplorer run PATH`: send one saved request or a whole collection, headless (CI).

Variables come from `--var`, `MCX_VAR_<name>`, `--env NAME`, the profile's environment and
the collection's defaults, in that order (see `core.collections.variables`).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from pathlib import Path

from mcexplorer.commands.target import TargetError, add_target_options, max_body_of, open_target
from mcexplorer.core.accounts.profiles import Accounts, ProfileError
from mcexplorer.core.accounts.target import Target
from mcexplorer.core.atomic import SaveError
from mcexplorer.core.collections.environments import (
    VariableOptions,
    collection_root,
    load_collection_environment,
)
from mcexplorer.core.collections.variables import ENV_PREFIX, parse_assignments
from mcexplorer.core.http.slots import MAX_LIMIT
from mcexplorer.core.http.wire import ProxyConfigError
from mcexplorer.core.session.run import RunItem, RunReport, RunResult, load_run_items
from mcexplorer.core.session.session import Session


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
    run.add_argument(
        "--var",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help=f"set a {{{{NAME}}}} variable (beats ${ENV_PREFIX}NAME, --env and the defaults); "
        "never a secret",
    )
    run.add_argument(
        "--env",
        metavar="NAME",
        help="use the collection's environments/NAME.json (its variables, and its profile)",
    )
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
    for check in result.assertions:
        if not check.passed:
            print(f"       assertion failed: {check.message}", flush=True)


async def _send_all(
    args: argparse.Namespace, target: Target, report_items: list[RunItem]
) -> RunReport:
    async with Session(
        target,
        history=not args.no_history,
        warn=lambda message: print(f"warning: {message}", file=sys.stderr),
        max_body=max_body_of(args),
    ) as session:
        return await session.run(
            report_items, concurrency=args.concurrency, on_result=_print_result
        )


def _variable_options(args: argparse.Namespace) -> VariableOptions:
    """The layers the options name. An environment that names a profile selects it unless
    --profile (or --sandbox) says otherwise."""
    if args.env is not None:
        env = load_collection_environment(collection_root(args.path), args.env)
        explicit = getattr(args, "profile", None) or getattr(args, "sandbox", False)
        if env.profile is not None and not explicit:
            args.profile = env.profile
    return VariableOptions(
        cli=parse_assignments(args.var),
        environ=os.environ,
        environment=args.env,
        profile=_profile_name(args),
    )


def _profile_name(args: argparse.Namespace) -> str | None:
    """The profile the target will use (the same choice `open_target` makes)."""
    if getattr(args, "sandbox", False):
        return None
    named: str | None = getattr(args, "profile", None)
    if named is not None:
        return named
    try:
        return Accounts().default
    except ProfileError:
        return None  # open_target reports the unreadable config


def _run(args: argparse.Namespace) -> int:
    if not 1 <= args.concurrency <= MAX_LIMIT:
        print(f"error: --concurrency must be between 1 and {MAX_LIMIT}.", file=sys.stderr)
        return 2
    if args.report is not None and args.report.suffix.lower() not in (".json", ".xml"):
        print(f"error: report {args.report}: use a .json or .xml file name.", file=sys.stderr)
        return 2
    if not args.path.exists():
        print(f"error: {args.path} does not exist.", file=sys.stderr)
        return 2
    try:
        items = load_run_items(args.path, _variable_options(args))
    # Bad files (CollectionFileError), refused variables and bad names are ValueErrors.
    except (FileNotFoundError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if not items:
        print(f"error: no *.request.json files under {args.path}.", file=sys.stderr)
        return 2
    if args.path.is_file() and items[0].unresolved:
        names = ", ".join(items[0].unresolved)
        print(
            f"error: {items[0].name}: unresolved variables {names}; nothing was sent. Give "
            f"them with --var NAME=VALUE, ${ENV_PREFIX}NAME, --env or the collection's defaults.",
            file=sys.stderr,
        )
        return 2
    try:
        with open_target(args) as target:
            if target.notice:
                print(target.notice, file=sys.stderr)
            report = asyncio.run(_send_all(args, target, items))
    except (TargetError, ProxyConfigError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("\nerror: interrupted", file=sys.stderr)
        return 130
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
