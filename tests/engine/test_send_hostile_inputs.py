"""`send` with inputs an adversarial pass threw at it: each is refused or read with a clear
message (exit 2, nothing sent), and what it prints reads as it should."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from mcexplorer.cli import main
from mcexplorer.core.accounts.keys import KeyFormatError, parse_api_key
from mcexplorer.core.durations import describe_seconds
from mcexplorer.core.problems.diagnosis import DiagnosisContext, diagnose
from mcexplorer.core.problems.problem import Problem
from mcexplorer.sandbox.server import SandboxServer

KEY = "0123456789abcdef0123456789abcdef-us6"


@pytest.fixture(scope="module")
def sandbox() -> Iterator[SandboxServer]:
    with SandboxServer(seed=5) as server:
        yield server


@pytest.fixture
def server(sandbox: SandboxServer, monkeypatch: pytest.MonkeyPatch) -> SandboxServer:
    httpx.post(f"{sandbox.url}/_sandbox/reset", json={}).raise_for_status()
    httpx.put(f"{sandbox.url}/_sandbox/faults", json={"profile": "none"}).raise_for_status()
    monkeypatch.setenv("MCX_KEY", sandbox.demo_key)
    return sandbox


def target(server: SandboxServer) -> list[str]:
    return ["--base-url", server.api_url, "--key-env", "MCX_KEY"]


def sent(server: SandboxServer) -> int:
    return int(httpx.get(f"{server.url}/_sandbox/stats").json()["requests"])


def test_a_utf16_body_file_with_a_byte_order_mark_is_read(
    server: SandboxServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    body = tmp_path / "body.json"
    body.write_bytes(json.dumps({"name": "Zoë's list"}).encode("utf-16"))
    argv = ["send", "POST", "/lists", "--data", f"@{body}", *target(server), "--json"]
    main(argv)
    doc = json.loads(capsys.readouterr().out)
    assert doc["outcome"]["request"]["body"] == {"name": "Zoë's list"}


def test_an_endless_body_file_is_refused(
    server: SandboxServer, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["send", "POST", "/lists", "--data", "@/dev/zero", *target(server)]) == 2
    assert "larger than 32 MB" in capsys.readouterr().err
    assert sent(server) == 0


@pytest.mark.parametrize(
    ("base_url", "message"),
    [
        ("http://[::1", "cannot be read as a URL"),
        ("http://127.0.0.1:port/3.0/", "cannot be read as a URL"),
        (f"http://anystring:{KEY}@127.0.0.1:9/3.0/", "holds a user name or password"),
    ],
)
def test_a_bad_base_url_is_named_without_its_secret(
    base_url: str, message: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MCX_KEY", KEY)
    assert main(["send", "GET", "/ping", "--base-url", base_url, "--key-env", "MCX_KEY"]) == 2
    err = capsys.readouterr().err
    assert message in err and KEY not in err


def test_the_summary_says_what_the_slots_allow(
    server: SandboxServer, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["send", "GET", "/ping", *target(server), "--repeat", "30", "--concurrency", "50"]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "30 requests, 10 at a time (50 asked for; the slots allow 10)" in out


def test_repeat_as_json_keeps_the_summary_and_the_last_outcome_only(
    server: SandboxServer, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["send", "GET", "/ping", *target(server), "--repeat", "12", "--json"]
    assert main(argv) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["summary"]["sent"] == 12 and doc["last"]["status"] == 200
    assert "outcomes" not in doc


def test_an_unknown_outcome_is_said_once(
    server: SandboxServer, capsys: pytest.CaptureFixture[str]
) -> None:
    httpx.put(f"{server.url}/_sandbox/faults", json={"rates": {"502": 1.0}}).raise_for_status()
    assert main(["send", "POST", "/lists", *target(server), "--data", "{}"]) == 1
    out = capsys.readouterr().out
    assert "? outcome unknown: POST got 502" in out
    assert "outcome unknown: outcome unknown" not in out


def test_a_mailersend_token_from_any_variable_is_a_mailersend_token(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("MY_TOKEN", "mlsn." + "a1" * 32)
    assert main(["send", "GET", "/api-quota", "--key-env", "MY_TOKEN", "--curl"]) == 0
    captured = capsys.readouterr()
    assert "https://api.mailersend.com/v1/api-quota" in captured.out
    assert "Authorization: Bearer" in captured.out and "Not a Mailchimp" not in captured.err


def test_an_upper_case_key_is_called_that() -> None:
    with pytest.raises(KeyFormatError, match="upper-case letters"):
        parse_api_key(KEY.upper())


def test_a_retry_after_far_away_reads_as_a_duration() -> None:
    problem = Problem(503, "Service Unavailable", retry_after_s=2.29997e9)
    hints = diagnose(problem, DiagnosisContext(method="GET"))
    assert any("after the 73 years the server asked for" in hint for hint in hints)
    assert describe_seconds(90) == "90 s" and describe_seconds(600) == "10 min"
