"""Reading a CSV file into rows that remember the line they started on.

Spreadsheet exports are messy: a UTF-8 byte-order mark, blank lines, quoted values that span
lines, rows with a few trailing commas. Those are accepted; a row with more values than the
header has columns is reported with its line number instead of being silently cut.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from mcexplorer.core.atomic import atomic_write_text

BOM = "\ufeff"


class CsvFileError(ValueError):
    """The file as a whole cannot be used (unreadable, no header, duplicate columns)."""


@dataclass(frozen=True)
class RowIssue:
    line: int  # 1-based line where the record starts
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


@dataclass(frozen=True)
class CsvRow:
    line: int
    values: dict[str, str]  # column name -> cell text, every header column present


@dataclass
class CsvTable:
    columns: list[str]
    rows: list[CsvRow] = field(default_factory=list)
    issues: list[RowIssue] = field(default_factory=list)


def _records(lines: Iterable[str]) -> Iterator[tuple[int, list[str] | None, str | None]]:
    """(start line, cells, error) per record; cells is None when the record cannot be read."""
    reader = csv.reader(lines, strict=False)
    while True:
        start = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield start, None, str(exc)
            continue
        yield start, cells, None


def _blank(cells: list[str]) -> bool:
    return not any(cell.strip() for cell in cells)


def parse_csv(text: str | Iterable[str]) -> CsvTable:
    """Parse CSV text (or an iterable of lines that keep their line endings)."""
    lines: Iterable[str] = io.StringIO(text, newline="") if isinstance(text, str) else text
    records = _records(_strip_bom(lines))
    table: CsvTable | None = None
    for line, cells, error in records:
        if cells is None:
            if table is None:
                raise CsvFileError(f"line {line}: the header cannot be read: {error}")
            table.issues.append(RowIssue(line, f"cannot be read as CSV: {error}"))
            continue
        if _blank(cells):
            continue
        if table is None:
            table = CsvTable(columns=_header(line, cells))
            continue
        _add_row(table, line, cells)
    if table is None:
        raise CsvFileError("the file is empty: a header row naming the columns is needed")
    return table


def _strip_bom(lines: Iterable[str]) -> Iterator[str]:
    first = True
    for line in lines:
        if first:
            line = line.removeprefix(BOM)
            first = False
        yield line


def _header(line: int, cells: list[str]) -> list[str]:
    names = [cell.strip() for cell in cells]
    while names and not names[-1]:  # trailing commas after the last column
        names.pop()
    if any(not name for name in names):
        position = names.index("") + 1
        raise CsvFileError(f"line {line}: column {position} of the header has no name")
    seen: set[str] = set()
    for name in names:
        if name.lower() in seen:
            raise CsvFileError(f"line {line}: the header names the column {name!r} twice")
        seen.add(name.lower())
    return names


def _add_row(table: CsvTable, line: int, cells: list[str]) -> None:
    width = len(table.columns)
    extra = cells[width:]
    if any(cell.strip() for cell in extra):
        table.issues.append(
            RowIssue(line, f"has {len(cells)} values but the header has {width} columns")
        )
        return
    cells = cells[:width] + [""] * (width - len(cells))
    table.rows.append(CsvRow(line, dict(zip(table.columns, cells, strict=True))))


def read_csv_file(path: Path) -> CsvTable:
    """Read a CSV file as UTF-8 (a byte-order mark is fine); CsvFileError names the cause."""
    try:
        with Path(path).open(encoding="utf-8", newline="") as handle:
            return parse_csv(handle)
    except UnicodeDecodeError as exc:
        raise CsvFileError(
            f"{path}: not UTF-8 text (byte {exc.start}); save it as CSV UTF-8 and retry"
        ) from None
    except OSError as exc:
        raise CsvFileError(f"{path}: {exc.strerror or exc}") from None


def write_csv(path: Path, columns: list[str], rows: Iterable[dict[str, str]]) -> None:
    """Write rows with a header, atomically; values are quoted only when they need it."""
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    atomic_write_text(Path(path), buffer.getvalue())
