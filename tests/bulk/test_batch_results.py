"""Reading results archives as streams: empty files, several files, odd layouts."""

from __future__ import annotations

import gzip
import io
import json
import tarfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mcexplorer.core.bulk import batch_results
from mcexplorer.core.bulk.batch_results import ArchiveError, iter_archive, iter_json_array


def archive(files: dict[str, bytes]) -> io.BytesIO:
    buffer = io.BytesIO()
    with (
        gzip.GzipFile(fileobj=buffer, mode="wb") as zipped,
        tarfile.open(fileobj=zipped, mode="w") as tar,
    ):
        folder = tarfile.TarInfo("abc123")
        folder.type = tarfile.DIRTYPE
        tar.addfile(folder)
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    buffer.seek(0)
    return buffer


def entry(op_id: str, status: int, response: object) -> dict[str, object]:
    return {"status_code": status, "operation_id": op_id, "response": json.dumps(response)}


def test_every_file_is_read_and_empty_files_are_tolerated() -> None:
    problem = {"title": "Resource Not Found", "status": 404, "detail": "No such list."}
    files = {
        "abc123/1.json": json.dumps(
            [entry("a", 200, {"id": 1}), entry("b", 404, problem)]
        ).encode(),
        "abc123/2.json": b"",
        "abc123/3.json": b"  \n",
        # one operation's pages split over two files
        "abc123/4.json": json.dumps([entry("page", 200, {"members": [1]})]).encode(),
        "abc123/5.json": json.dumps([entry("page", 200, {"members": [2]})]).encode(),
    }
    results = list(iter_archive(archive(files)))
    assert [(r.operation_id, r.status_code, r.file) for r in results] == [
        ("a", 200, "abc123/1.json"),
        ("b", 404, "abc123/1.json"),
        ("page", 200, "abc123/4.json"),
        ("page", 200, "abc123/5.json"),
    ]
    failed = results[1].problem()
    assert failed is not None and failed.title == "Resource Not Found"
    assert results[0].problem() is None and results[0].json() == {"id": 1}


def test_a_single_object_and_a_bom_are_accepted() -> None:
    data = "\ufeff".encode() + json.dumps(entry("only", 204, "")).encode()
    assert [r.operation_id for r in iter_archive(archive({"x/1.json": data}))] == ["only"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b'[{"status_code": 200}', "not closed"),
        (b'[{"status_code": 200} {}]', "expected ','"),
        (b'[{"operation_id": "x"}]', "without a status_code"),
        (b"[] extra", "unexpected text"),
        (b"[{oops}]", "not valid JSON"),
    ],
)
def test_broken_files_name_the_file(data: bytes, message: str) -> None:
    with pytest.raises(ArchiveError, match=f"x/bad.json: .*{message}"):
        list(iter_archive(archive({"x/bad.json": data})))


def test_not_an_archive_is_reported() -> None:
    with pytest.raises(ArchiveError, match="cannot be read"):
        list(iter_archive(io.BytesIO(b"<html>expired</html>")))


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.text(max_size=6), st.integers(100, 599), st.text(max_size=40)), max_size=30
    ),
    st.integers(min_value=1, max_value=17),
)
def test_arrays_parse_the_same_whatever_the_chunk_size(
    items: list[tuple[str, int, str]], chunk: int
) -> None:
    values = [{"status_code": s, "operation_id": o, "response": r} for o, s, r in items]
    text = json.dumps(values, indent=1, ensure_ascii=False).encode()
    original = batch_results.CHUNK
    batch_results.CHUNK = chunk  # tiny chunks split strings, numbers and UTF-8 sequences
    try:
        assert list(iter_json_array(io.BytesIO(text), "t.json")) == values
    finally:
        batch_results.CHUNK = original
