"""`mcexplorer run` and saving, against the sandbox on a real loopback socket."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from mcexplorer.cli import main
from mcexplorer.core.accounts.keys import Credentials
from mcexplorer.core.collections.format import SavedRequest
from mcexplorer.core.collections.store import Collection
from mcexplorer.core.history.store import HistoryFilter, HistoryStore, default_history_path
from mcexplorer.core.http.engine import Engine
from mcexplorer.core.http.request import ApiRequest
from mcexplorer.sandbox.server import SandboxServer

KEY_ENV = "MCX_RUN_TEST_KEY"


@pytest.fixture
def flaky() -> Iterator[SandboxServer]:
    with SandboxServer(faults="flaky", seed=7) as server:
        yield server


def _first_list_id(server: SandboxServer) -> str:
    httpx.put(f"{server.url}/_sandbox/faults", json={"profile": "none"}).raise_for_status()
    answer = httpx.get(server.api_url + "lists", auth=("x", server.demo_key))
    httpx.put(f"{server.url}/_sandbox/faults", json={"profile": "flaky"}).raise_for_status()
    list_id = answer.json()["lists"][0]["id"]
    assert isinstance(list_id, str)
    return list_id


def _collection(root: Path, list_id: str, copies: int) -> Path:
    coll = Collection.load(root)
    coll.name, coll.variables = "Smoke", {"list_id": list_id}
    coll.save_variables()
    for n in range(copies):
        coll.save(f"root/ping-{n}", SavedRequest(ApiRequest("GET", "/ping")))
        coll.save(f"lists/all-{n}", SavedRequest(ApiRequest("GET", "/lists", query={"count": "2"})))
        one = ApiRequest("GET", "/lists/{list_id}", {"list_id": ""}, query={"fields": "id,name"})
        coll.save(f"lists/one-{n}", SavedRequest(one))
        members = ApiRequest("GET", "/lists/{list_id}/members", {"list_id": ""})
        coll.save(f"lists/members/page-{n}", SavedRequest(members))
    return root


def test_a_collection_runs_green_through_faults(
    flaky: SandboxServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    root = tmp_path / "smoke"
    root.mkdir()
    _collection(root, _first_list_id(flaky), copies=12)
    monkeypatch.setenv(KEY_ENV, flaky.demo_key)
    report_json, report_xml = tmp_path / "report.json", tmp_path / "report.xml"
    base = ["run", str(root), "--base-url", flaky.api_url, "--key-env", KEY_ENV]
    assert main([*base, "--concurrency", "6", "--report", str(report_json)]) == 0
    stats = httpx.get(f"{flaky.url}/_sandbox/stats").json()
    assert sum(stats["faults"].values()) > 0  # the faults happened; retries absorbed them
    assert stats["peak_in_flight"] <= 6

    report = json.loads(report_json.read_text(encoding="utf-8"))
    assert (report["total"], report["passed"], report["failed"]) == (48, 48, 0)
    assert sum(r["retries"] for r in report["results"]) > 0
    out = capsys.readouterr().out
    assert "48 requests: 48 passed, 0 failed" in out
    assert flaky.demo_key not in out

    store = HistoryStore(default_history_path())
    assert store.count() == 48
    assert flaky.demo_key.encode() not in default_history_path().read_bytes()
    assert all(e.profile is None and e.outcome.ok for e in store.list(HistoryFilter(limit=100)))

    assert main([*base, "--no-history", "--report", str(report_xml)]) == 0
    suite = ET.parse(report_xml).getroot().find("testsuite")
    assert suite is not None and suite.get("tests") == "48" and suite.get("failures") == "0"
    assert store.count() == 48  # --no-history recorded nothing


def test_failures_and_bad_files_make_the_run_fail(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "mixed"
    root.mkdir()
    coll = Collection.load(root)
    coll.save("ok", SavedRequest(ApiRequest("GET", "/ping")))
    coll.save("missing", SavedRequest(ApiRequest("GET", "/lists/{list_id}", {"list_id": "nope"})))
    coll.save("no-param", SavedRequest(ApiRequest("GET", "/lists/{list_id}")))
    (root / "broken.request.json").write_text("{\n  oops\n}\n", encoding="utf-8")
    report_xml = tmp_path / "r.xml"
    with SandboxServer() as server:
        monkeypatch.setenv(KEY_ENV, server.demo_key)
        code = main(
            [
                "run",
                str(root),
                "--base-url",
                server.api_url,
                "--key-env",
                KEY_ENV,
                "--report",
                str(report_xml),
            ]
        )
    assert code == 1
    out = capsys.readouterr().out
    assert "ERROR  broken.request.json:" in out and "line 2" in out
    assert "FAIL   404" in out and "4 requests: 1 passed, 3 failed" in out
    suite = ET.parse(report_xml).getroot().find("testsuite")
    assert suite is not None
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("4", "1", "2")
    [bundle_id] = [e.id for e in HistoryStore().list(HistoryFilter(status="404"))]
    bundle = tmp_path / "bundle.md"
    assert main(["history", "bundle", str(bundle_id), "-o", str(bundle)]) == 0
    text = bundle.read_text(encoding="utf-8")
    assert "→ 404" in text and server.demo_key not in text


async def test_saving_a_request_after_sending_it_with_a_real_key_writes_no_key(
    tmp_path: Path,
) -> None:
    with SandboxServer() as server:
        creds = Credentials.api_key(server.demo_key)
        async with Engine(server.api_url, creds) as engine:
            outcome = await engine.send(ApiRequest("GET", "/lists", query={"count": "1"}))
    assert outcome.ok
    coll = Collection.load(tmp_path)
    coll.save("sent", SavedRequest(outcome.request, "sent with the demo key"))
    written = (tmp_path / "sent.request.json").read_text(encoding="utf-8")
    assert server.demo_key not in written and "Authorization" not in written
    assert json.loads(written)["query"] == {"count": "1"}
