"""Reading a batch results archive without holding it in memory.

The archive is a gzipped tar of JSON files; each file is an array of
`{"status_code": 200, "operation_id": "...", "response": "<the body as JSON text>"}`.
Files may be empty and one operation's pages may be split over several files. The tar is
read as a stream (`r|gz`) and each array element by element, so memory stays flat however
many operations the batch had.
"""

from __future__ import annotations

import codecs
import json
import tarfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

from mcexplorer.core.problems.problem import Problem, decode_problem

CHUNK = 64 * 1024
_PROBLEM_HEADERS = {"content-type": "application/problem+json"}
_WHITESPACE = " \t\r\n"


class ArchiveError(ValueError):
    """The archive or one of its files is not what a batch produces; names the file."""


@dataclass(frozen=True)
class OperationResult:
    operation_id: str | None
    status_code: int
    response: str  # the operation's response body, as the text the API gave
    file: str  # which file of the archive held it

    @property
    def ok(self) -> bool:
        return 200 <= self.status_code < 300

    def problem(self) -> Problem | None:
        """The decoded error of a failed operation; None for a success."""
        return decode_problem(
            self.status_code, _PROBLEM_HEADERS, self.response.encode("utf-8", "replace")
        )

    def json(self) -> Any | None:
        try:
            return json.loads(self.response) if self.response else None
        except ValueError:
            return None


def iter_archive(fileobj: IO[bytes]) -> Iterator[OperationResult]:
    """Every result of every regular file in the archive, in archive order."""
    try:
        with tarfile.open(fileobj=fileobj, mode="r|gz") as tar:
            for member in tar:
                if not member.isfile():
                    continue
                handle = tar.extractfile(member)
                if handle is None:
                    continue
                yield from _iter_file(handle, member.name)
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise ArchiveError(f"the results archive cannot be read: {exc}") from None


def _iter_file(handle: IO[bytes], name: str) -> Iterator[OperationResult]:
    for item in iter_json_array(handle, name):
        yield _result(item, name)


def _result(item: Any, name: str) -> OperationResult:
    if not isinstance(item, dict) or not isinstance(item.get("status_code"), int):
        raise ArchiveError(f"{name}: an entry without a status_code: {str(item)[:80]}")
    response = item.get("response")
    if response is not None and not isinstance(response, str):
        response = json.dumps(response)  # tolerate an object where text is expected
    op_id = item.get("operation_id")
    return OperationResult(
        operation_id=None if op_id is None else str(op_id),
        status_code=item["status_code"],
        response=response or "",
        file=name,
    )


class _Text:
    """Decoded text of a byte stream, read a chunk at a time (UTF-8 split safely)."""

    def __init__(self, handle: IO[bytes]) -> None:
        self._handle = handle
        self._decoder = codecs.getincrementaldecoder("utf-8-sig")(errors="strict")
        self.eof = False

    def more(self) -> str:
        data = self._handle.read(CHUNK)
        if not data:
            self.eof = True
            return self._decoder.decode(b"", final=True)
        return self._decoder.decode(data)


def iter_json_array(handle: IO[bytes], name: str) -> Iterator[Any]:
    """Elements of a JSON array, parsed one at a time; an empty file yields nothing, and a
    single object (not in an array) is taken as one element."""
    source = _Text(handle)
    decoder = json.JSONDecoder()
    buffer, pos = "", 0

    def fill() -> bool:
        nonlocal buffer, pos
        if source.eof:
            return False
        buffer = buffer[pos:] + source.more()
        pos = 0
        return True

    def skip_space() -> bool:
        """Move past whitespace; False at the end of the file."""
        nonlocal pos
        while True:
            while pos < len(buffer) and buffer[pos] in _WHITESPACE:
                pos += 1
            if pos < len(buffer):
                return True
            if not fill():
                return False

    def value() -> Any:
        nonlocal pos
        while True:
            try:
                item, end = decoder.raw_decode(buffer, pos)
            except json.JSONDecodeError as exc:
                # Maybe the element is only cut by the chunk boundary: read more and retry.
                if fill():
                    continue
                raise ArchiveError(f"{name}: not valid JSON: {exc.msg}") from None
            # A number at the very end of the buffer might continue in the next chunk.
            if end == len(buffer) and fill():
                continue
            pos = end
            return item

    if not skip_space():
        return  # an empty file
    if buffer[pos] != "[":
        yield value()
        if skip_space():
            raise ArchiveError(f"{name}: unexpected text after the JSON value")
        return
    pos += 1
    expect_value = True
    while True:
        if not skip_space():
            raise ArchiveError(f"{name}: the JSON array is not closed")
        char = buffer[pos]
        if char == "]":
            pos += 1
            break
        if not expect_value:
            if char != ",":
                raise ArchiveError(f"{name}: expected ',' or ']' between results")
            pos += 1
            expect_value = True
            continue
        yield value()
        expect_value = False
    if skip_space():
        raise ArchiveError(f"{name}: unexpected text after the JSON array")
