"""`mcexplorer history ...`: list, show, clear and bundle the requests sent so far."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mcexplorer.core.atomic import SaveError
from mcexplorer.core.history.bundle import write_bundle
from mcexplorer.core.history.store import (
    HistoryEntry,
    HistoryError,
    HistoryFilter,
    HistoryStore,
    Retention,
)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    history = subparsers.add_parser("history", help="requests sent so far (stored locally)")
    sub = history.add_subparsers(dest="history_command", metavar="ACTION", required=True)

    listing = sub.add_parser("list", help="newest first")
    listing.add_argument("--status", help="a code (404), a class (4xx), ok, failed or none")
    listing.add_argument("--path", metavar="SUBSTR", help="URL or path template contains this")
    listing.add_argument("--title", metavar="SUBSTR", help="problem title contains this")
    listing.add_argument("-n", type=int, default=20, metavar="N", help="at most N entries")
    listing.set_defaults(func=_guard(_list))

    show = sub.add_parser("show", help="one entry in full")
    show.add_argument("id", type=int)
    show.add_argument("--json", action="store_true", help="machine-readable")
    show.set_defaults(func=_guard(_show))

    clear = sub.add_parser("clear", help="delete every entry")
    clear.add_argument("--yes", action="store_true", help="do not ask")
    clear.set_defaults(func=_guard(_clear))

    keep = sub.add_parser("retention", help="show or set how much history is kept")
    keep.add_argument("--max-entries", metavar="N|none", help="keep at most N entries")
    keep.add_argument("--max-age-days", metavar="D|none", help="drop entries older than D days")
    keep.set_defaults(func=_guard(_retention))

    bundle = sub.add_parser("bundle", help="write a support bundle (Markdown) for one entry")
    bundle.add_argument("id", type=int)
    bundle.add_argument("-o", "--output", type=Path, required=True, metavar="FILE")
    bundle.set_defaults(func=_guard(_bundle))


def _guard(
    action: Callable[[argparse.Namespace, HistoryStore], int],
) -> Callable[[argparse.Namespace], int]:
    def run(args: argparse.Namespace) -> int:
        try:
            return int(action(args, HistoryStore()))
        except (HistoryError, SaveError, ValueError) as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2

    return run


def _limit(text: str | None, current: float | None, kind: type[int] | type[float]) -> Any:
    if text is None:
        return current
    return None if text.strip().lower() == "none" else kind(text)


def _retention(args: argparse.Namespace, store: HistoryStore) -> int:
    old = store.retention
    new = Retention(
        max_entries=_limit(args.max_entries, old.max_entries, int),
        max_age_days=_limit(args.max_age_days, old.max_age_days, float),
    )
    if new != old:
        new.save()
        HistoryStore(store.path, retention=new).prune()
    entries = new.max_entries if new.max_entries is not None else "no limit"
    days = f"{new.max_age_days:g} days" if new.max_age_days is not None else "no limit"
    print(f"history keeps at most {entries} entries; maximum age {days}")
    return 0


def _line(entry: HistoryEntry) -> str:
    outcome = entry.outcome
    status = str(outcome.status) if outcome.status is not None else "---"
    title = f"  {outcome.problem.title}" if outcome.problem and not outcome.ok else ""
    return (
        f"{entry.id:>6}  {outcome.started_at[:19]}  {status}  {outcome.method:<6} {outcome.url}"
        f"  {outcome.elapsed_ms:.0f} ms{title}"
    )


def _list(args: argparse.Namespace, store: HistoryStore) -> int:
    entries = store.list(HistoryFilter(args.status, args.path, args.title, args.n))
    for entry in entries:
        print(_line(entry))
    if not entries:
        print("No matching history entries.", file=sys.stderr)
    return 0


def _get(store: HistoryStore, entry_id: int) -> HistoryEntry | None:
    entry = store.get(entry_id)
    if entry is None:
        print(
            f"error: no history entry {entry_id} (see `mcexplorer history list`).", file=sys.stderr
        )
    return entry


def _show(args: argparse.Namespace, store: HistoryStore) -> int:
    entry = _get(store, args.id)
    if entry is None:
        return 1
    if args.json:
        print(json.dumps(entry.to_dict(), indent=2, ensure_ascii=False))
        return 0
    print(_line(entry))
    print(
        f"profile: {entry.profile or '-'}   dc: {entry.dc or '-'}   "
        f"x-request-id: {entry.outcome.x_request_id or '-'}"
    )
    if entry.outcome.problem:
        print(f"problem: {entry.outcome.problem.title}: {entry.outcome.problem.detail}")
    for event in entry.outcome.attempts:
        extra = f" {event.status}" if event.status is not None else ""
        print(f"  attempt {event.attempt}: {event.kind.value}{extra}")
    print()
    print(entry.outcome.body.decode("utf-8", "replace"))
    if entry.body_truncated:
        print(f"[body truncated: {len(entry.outcome.body)} of {entry.body_size} bytes kept]")
    return 0


def _clear(args: argparse.Namespace, store: HistoryStore) -> int:
    if not args.yes:
        if not sys.stdin.isatty():
            print("error: pass --yes to clear the history without a prompt.", file=sys.stderr)
            return 2
        if input(f"Delete all {store.count()} history entries? [y/N] ").strip().lower() != "y":
            print("Nothing deleted.")
            return 1
    print(f"Deleted {store.clear()} history entries.")
    return 0


def _bundle(args: argparse.Namespace, store: HistoryStore) -> int:
    entry = _get(store, args.id)
    if entry is None:
        return 1
    write_bundle(entry, args.output)
    print(f"Wrote {args.output}")
    return 0
