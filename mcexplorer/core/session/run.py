"""Headless runs: one saved request or a whole collection through one Engine.

Requests run as asyncio tasks, at most `concurrency` at a time, inside the engine's
connection slots and retry policy. Files that fail to load or requests that do not
validate are reported as errors (nothing sent) and the rest still run.
"""

from __future__ import annotations

import asyncio
import json
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from mcexplorer.core.atomic import atomic_write_text
from mcexplorer.core.collections.format import CollectionFileError
from mcexplorer.core.collections.store import (
    VARIABLES_FILE,
    Collection,
    load_request_file,
    loads_variables,
    resolve_request,
)
from mcexplorer.core.http.engine import Engine, Outcome
from mcexplorer.core.http.events import EventKind
from mcexplorer.core.http.request import ApiRequest, RequestInvalid

REPORT_FORMAT = "mcexplorer.run/1"


@dataclass(frozen=True)
class RunItem:
    name: str  # the file, relative to the collection root
    request: ApiRequest | None  # None when the file could not be loaded
    load_error: str | None = None


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


def _variables_above(path: Path) -> dict[str, str]:
    """A single request file takes the variables of the collection it sits in, if any."""
    for folder in path.resolve().parents:
        candidate = folder / VARIABLES_FILE
        if candidate.is_file():
            return loads_variables(candidate.read_text(encoding="utf-8"), str(candidate))[1]
    return {}


def load_run_items(path: Path) -> list[RunItem]:
    """Every request under `path` (a request file or a collection folder), resolved."""
    if path.is_dir():
        coll = Collection.load(path)
        items = [RunItem(str(i.rel), coll.resolve(i)) for i in coll.items]
        items += [
            RunItem(Path(e.path).relative_to(path).as_posix(), None, str(e)) for e in coll.errors
        ]
        return sorted(items, key=lambda i: i.name)
    if not path.exists():
        raise FileNotFoundError(f"{path} does not exist.")
    try:
        saved = load_request_file(path)
        return [RunItem(path.name, resolve_request(saved.request, _variables_above(path)))]
    except CollectionFileError as exc:
        return [RunItem(path.name, None, str(exc))]


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
    on_outcome: Callable[[Outcome], int | None] | None = None,
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
                history_id = on_outcome(outcome) if on_outcome else None
                result = replace(_result(item, outcome), history_id=history_id)
        if on_result:
            on_result(result)
        return result

    report.results = list(await asyncio.gather(*(one(item) for item in items)))
    report.elapsed_ms = (time.monotonic() - t0) * 1000
    return report
