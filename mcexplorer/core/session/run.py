"""Headless runs: one saved request or a whole collection through one Engine.

Requests run as asyncio tasks, at most `concurrency` at a time, inside the engine's
connection slots and retry policy. Files that fail to load, requests that do not
validate and requests with unresolved variables are reported as errors (nothing sent) and
the rest still run. A request's assertions are checked against its response; one that
fails fails the request.
"""

from __future__ import annotations

import asyncio
import json
import time
import xml.etree.ElementTree as ET
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from mcexplorer.core.atomic import atomic_write_text
from mcexplorer.core.collections.assertions import Assertion
from mcexplorer.core.collections.environments import (
    VariableOptions,
    collection_defaults,
    collection_root,
    load_variables,
)
from mcexplorer.core.collections.format import CollectionFileError, SavedRequest
from mcexplorer.core.collections.store import VARIABLES_FILE, Collection, load_request_file
from mcexplorer.core.collections.variables import SourceKind, VariableLayer, Variables
from mcexplorer.core.http.engine import Engine
from mcexplorer.core.http.events import EventKind
from mcexplorer.core.http.outcome import Outcome
from mcexplorer.core.http.request import ApiRequest, RequestInvalid
from mcexplorer.core.session.assertions import AssertionResult, check_assertions, judges_status

REPORT_FORMAT = "mcexplorer.run/1"


@dataclass(frozen=True)
class RunItem:
    name: str  # the file, relative to the collection root
    request: ApiRequest | None  # None when the file could not be loaded
    load_error: str | None = None
    assertions: tuple[Assertion, ...] = ()
    unresolved: tuple[str, ...] = ()  # variables no layer has a value for: never sent


@dataclass(frozen=True)
class RunResult:
    name: str
    method: str
    path: str
    status: int | None
    ok: bool
    elapsed_ms: float
    attempts: int
    retries: int
    title: str | None = None  # the problem title when it failed
    x_request_id: str | None = None
    error: str | None = None  # set when nothing was sent (bad file, invalid request)
    history_id: int | None = None
    assertions: tuple[AssertionResult, ...] = ()


@dataclass
class RunReport:
    started_at: str
    results: list[RunResult] = field(default_factory=list)
    elapsed_ms: float = 0.0

    @property
    def failed(self) -> list[RunResult]:
        return [r for r in self.results if not r.ok]

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": REPORT_FORMAT,
            "started_at": self.started_at,
            "elapsed_ms": round(self.elapsed_ms, 3),
            "total": len(self.results),
            "passed": len(self.results) - len(self.failed),
            "failed": len(self.failed),
            "results": [asdict(r) for r in self.results],
        }

    def to_junit(self) -> str:
        errors = [r for r in self.results if r.error is not None]
        suite = ET.Element(
            "testsuite",
            name="mcexplorer run",
            tests=str(len(self.results)),
            failures=str(len(self.failed) - len(errors)),
            errors=str(len(errors)),
            time=f"{self.elapsed_ms / 1000:.3f}",
            timestamp=self.started_at,
        )
        for r in self.results:
            folder, _, leaf = r.name.rpartition("/")
            case = ET.SubElement(
                suite,
                "testcase",
                classname=folder.replace("/", ".") or "collection",
                name=leaf,
                time=f"{r.elapsed_ms / 1000:.3f}",
            )
            if r.error is not None:
                ET.SubElement(case, "error", message=r.error, type="not-sent").text = r.error
            elif any(not a.passed for a in r.assertions):
                failed = [a.message for a in r.assertions if not a.passed]
                node = ET.SubElement(case, "failure", message="; ".join(failed), type="assertion")
                node.text = "\n".join(
                    [*failed, f"{r.method} {r.path}: {r.status or 'no response'}"]
                )
            elif not r.ok:
                message = f"{r.status or 'no response'} {r.title or ''}".strip()
                node = ET.SubElement(case, "failure", message=message, type="http")
                node.text = (
                    f"{r.method} {r.path}: {message}; attempts={r.attempts}; "
                    f"x-request-id={r.x_request_id or '-'}"
                )
        root = ET.Element("testsuites")
        root.append(suite)
        ET.indent(root)
        return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, "unicode") + "\n"

    def write(self, path: Path) -> None:
        """JSON for `.json`, JUnit XML for `.xml`."""
        suffix = path.suffix.lower()
        if suffix == ".json":
            text = json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n"
        elif suffix == ".xml":
            text = self.to_junit()
        else:
            raise ValueError(f"Report {path}: use a .json or .xml file name.")
        atomic_write_text(path, text)


def _resolved(name: str, saved: SavedRequest, variables: Variables) -> RunItem:
    got = variables.resolve(saved)
    return RunItem(name, got.request, assertions=got.assertions, unresolved=got.unresolved)


def load_run_items(path: Path, options: VariableOptions | None = None) -> list[RunItem]:
    """Every request under `path` (a request file or a collection folder), resolved through
    the variable layers `options` name (without them, the collection's defaults only).
    Raises FileNotFoundError, and VariableRefused or CollectionFileError for a bad
    environment: those concern every request."""
    options = options or VariableOptions()
    root = collection_root(path)
    if path.is_dir():
        coll = Collection.load(path)
        # The folder's own collection.json was read (or reported) with its requests.
        own = str(path / VARIABLES_FILE)
        defaults = (
            VariableLayer(SourceKind.COLLECTION, own, coll.variables) if root == path else None
        )
        variables = load_variables(root, options, defaults)
        items = [_resolved(str(i.rel), i.saved, variables) for i in coll.items]
        items += [
            RunItem(Path(e.path).relative_to(path).as_posix(), None, str(e)) for e in coll.errors
        ]
        return sorted(items, key=lambda i: i.name)
    if not path.exists():
        raise FileNotFoundError(f"{path} does not exist.")
    try:
        saved = load_request_file(path)
        defaults = collection_defaults(root)
    except CollectionFileError as exc:
        return [RunItem(path.name, None, str(exc))]
    return [_resolved(path.name, saved, load_variables(root, options, defaults))]


def _result(item: RunItem, outcome: Outcome) -> RunResult:
    return RunResult(
        name=item.name,
        method=outcome.method,
        path=outcome.request.render_path(),
        status=outcome.status,
        ok=outcome.ok,
        elapsed_ms=outcome.elapsed_ms,
        attempts=len({e.attempt for e in outcome.attempts if e.kind is EventKind.QUEUED}),
        retries=outcome.retries,
        title=outcome.problem.title if outcome.problem else None,
        x_request_id=outcome.x_request_id,
    )


async def run_items(
    engine: Engine,
    items: list[RunItem],
    *,
    concurrency: int = 4,
    on_outcome: Callable[[Outcome], Awaitable[int | None]] | None = None,
    on_result: Callable[[RunResult], None] | None = None,
) -> RunReport:
    """Send every item (at most `concurrency` at once); results keep the items' order."""
    if concurrency < 1:
        raise ValueError("concurrency must be at least 1")
    report = RunReport(started_at=datetime.now(UTC).isoformat(timespec="seconds"))
    gate = asyncio.Semaphore(concurrency)
    t0 = time.monotonic()

    async def one(item: RunItem) -> RunResult:
        if item.request is None:
            result = RunResult(item.name, "", "", None, False, 0.0, 0, 0, error=item.load_error)
        elif item.unresolved:
            req = item.request
            error = f"not sent: unresolved variables {', '.join(item.unresolved)}"
            result = RunResult(item.name, req.method, req.path, None, False, 0.0, 0, 0, error=error)
        else:
            try:
                async with gate:
                    outcome = await engine.send(item.request)
            except RequestInvalid as exc:
                req = item.request
                result = RunResult(
                    item.name,
                    req.method,
                    req.path,
                    None,
                    False,
                    0.0,
                    0,
                    0,
                    error=f"not sent: {exc}",
                )
            else:
                history_id = await on_outcome(outcome) if on_outcome else None
                checks = check_assertions(item.assertions, outcome)
                ok = (outcome.status is not None and judges_status(item.assertions)) or outcome.ok
                result = replace(
                    _result(item, outcome),
                    history_id=history_id,
                    assertions=checks,
                    ok=ok and all(c.passed for c in checks),
                )
        if on_result:
            on_result(result)
        return result

    report.results = list(await asyncio.gather(*(one(item) for item in items)))
    report.elapsed_ms = (time.monotonic() - t0) * 1000
    return report
