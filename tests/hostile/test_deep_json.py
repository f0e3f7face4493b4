"""JSON nested far deeper than Python's recursion limit, wherever it can come from: an
answer, a history entry, a saved request, a Postman file, a body file. Each is reported or
shown as text; none ends the program with a traceback."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from mcexplorer.cli import main
from mcexplorer.core.history.store import HistoryStore
from tests.hostile.server import KEY, HostileServer, http

DEEP = b"[" * 100_000 + b"]" * 100_000  # 200 KB
POSTMAN = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[HostileServer]:
    monkeypatch.setenv("MCX_KEY", KEY)
    answer = http("200 OK", DEEP, "Content-Type: application/json\r\n")
    with HostileServer(lambda received: answer).running() as running:
        yield running


def send(server: HostileServer, *argv: str) -> int:
    return main(
        ["send", "GET", "/ping", "--base-url", server.base_url(), "--key-env", "MCX_KEY", *argv]
    )


def test_send_shows_a_too_deep_answer_as_text(
    server: HostileServer, capsys: pytest.CaptureFixture[str]
) -> None:
    assert send(server) == 0
    assert capsys.readouterr().out.strip() == DEEP.decode()
    assert send(server, "--json") == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["outcome"]["json"] is None and doc["outcome"]["body"] == DEEP.decode()


def test_history_show_and_bundle_of_a_too_deep_answer(
    server: HostileServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert send(server) == 0
    capsys.readouterr()
    [entry] = HistoryStore().list()
    assert main(["history", "show", str(entry.id), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["body"] == DEEP.decode()
    out = tmp_path / "bundle.md"
    assert main(["history", "bundle", str(entry.id), "-o", str(out)]) == 0
    assert "[[[[" in out.read_text(encoding="utf-8")


def test_a_too_deep_saved_request_is_one_bad_file_among_good_ones(
    server: HostileServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "coll"
    folder.mkdir()
    (folder / "deep.request.json").write_bytes(
        b'{"method": "POST", "path": "/x", "body": ' + DEEP + b"}"
    )
    (folder / "ping.request.json").write_text('{"method": "GET", "path": "/ping"}', "utf-8")
    assert main(["collection", "list", str(folder)]) == 1
    captured = capsys.readouterr()
    assert "GET    /ping" in captured.out and "deep.request.json" in captured.err
    assert "nested too deeply" in captured.err
    code = main(["run", str(folder), "--base-url", server.base_url(), "--key-env", "MCX_KEY"])
    out = capsys.readouterr().out
    assert code == 1 and "ERROR  deep.request.json" in out and "ok     200  GET" in out


def test_a_too_deep_postman_file_and_body(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    deep_file = tmp_path / "deep.json"
    deep_file.write_bytes(DEEP)
    assert main(["collection", "import-postman", str(deep_file), "-o", str(tmp_path / "a")]) == 2
    assert "nested too deeply" in capsys.readouterr().err
    item = {"name": "deep body", "request": {"method": "POST", "url": "https://x/3.0/lists"}}
    item["request"]["body"] = {"mode": "raw", "raw": DEEP.decode()}  # type: ignore[index]
    good = {"name": "ping", "request": {"method": "GET", "url": "https://x/3.0/ping"}}
    data = {"info": {"name": "c", "schema": POSTMAN}, "item": [item, good]}
    source = tmp_path / "c.json"
    source.write_text(json.dumps(data), encoding="utf-8")
    assert main(["collection", "import-postman", str(source), "-o", str(tmp_path / "b")]) == 0
    captured = capsys.readouterr()
    assert "Imported 1 requests" in captured.out
    assert "deep body: skipped, its body is not JSON (nested too deeply)" in captured.err


def test_a_too_deep_body_file_is_refused(
    server: HostileServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    body = tmp_path / "deep.json"
    body.write_bytes(DEEP)
    assert send(server, "--data", f"@{body}") == 2
    assert "nested too deeply" in capsys.readouterr().err
    assert server.received == []
