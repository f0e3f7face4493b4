"""`mcexplorer send` end to end through main([...]) against real sandboxes."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from mcexplorer.cli import main
from mcexplorer.commands.output import render_json
from mcexplorer.sandbox.server import SandboxServer


@pytest.fixture(autouse=True)
def private_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No real profiles, keyring or environment key leak into these runs."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("MAILCHIMP_API_KEY", raising=False)
    monkeypatch.delenv("MAILERSEND_API_TOKEN", raising=False)
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[SandboxServer]:
    with SandboxServer(seed=3) as srv:
        monkeypatch.setenv("MCX_TEST_KEY", srv.demo_key)
        yield srv


def target(srv: SandboxServer) -> list[str]:
    return ["--base-url", srv.api_url, "--key-env", "MCX_TEST_KEY"]


def secrets_of(srv: SandboxServer) -> list[str]:
    key = srv.demo_key
    basic = base64.b64encode(f"mcexplorer:{key}".encode()).decode()
    return [key, key.split("-")[0], basic]


def test_sandbox_get_prints_json_and_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["send", "GET", "/lists", "--sandbox", "--fields", "lists.id", "--count", "2"])
    out = capsys.readouterr()
    assert code == 0
    assert len(json.loads(out.out)["lists"]) == 2  # piped: plain JSON, no colour codes
    assert "→ 200" in out.err


def test_404_shows_problem_glossary_and_timeline(
    server: SandboxServer, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["send", "GET", "/lists/{list_id}", "-q", "list_id=nope", *target(server)])
    out = capsys.readouterr().out
    assert code == 1
    assert "✗ 404 Resource Not Found" in out and "What it means" in out
    assert "Attempts:" in out and "response 404" in out


def test_json_document_has_response_problem_and_events(
    server: SandboxServer, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        [
            "send",
            "GET",
            "/lists",
            *target(server),
            "--trigger-error",
            "TooManyRequests",
            "--max-attempts",
            "2",
            "--json",
        ]
    )
    doc = json.loads(capsys.readouterr().out)
    assert code == 1
    outcome = doc["outcome"]
    assert outcome["status"] == 429 and outcome["problem"]["title"] == "Too Many Requests"
    kinds = [e["kind"] for e in outcome["attempts"]]
    assert kinds.count("backoff") == 1 and kinds[-1] == "gave_up"
    assert doc["diagnosis"] and doc["glossary"]


def test_email_fills_the_subscriber_hash_and_upserts(
    server: SandboxServer, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["send", "GET", "/lists", *target(server), "--fields", "lists.id", "--json"])
    list_id = json.loads(capsys.readouterr().out)["outcome"]["json"]["lists"][0]["id"]
    body = json.dumps({"email_address": "Ada@Fernpost.net", "status_if_new": "subscribed"})
    code = main(
        [
            "send",
            "PUT",
            "/lists/{list_id}/members/{subscriber_hash}",
            "-q",
            f"list_id={list_id}",
            "--email",
            "Ada@Fernpost.net",
            "--data",
            body,
            *target(server),
        ]
    )
    member = json.loads(capsys.readouterr().out)
    assert code == 0 and member["email_address"].lower() == "ada@fernpost.net"


def test_data_from_a_file(
    server: SandboxServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    body = tmp_path / "body.json"
    body.write_text('{"name": ')
    code = main(["send", "POST", "/lists", "--data", f"@{body}", *target(server)])
    assert code == 2 and "invalid JSON" in capsys.readouterr().err
    code = main(["send", "POST", "/lists", "--data", f"@{tmp_path / 'missing'}", *target(server)])
    assert code == 2 and "cannot read" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--fields", "a", "--exclude-fields", "b"], "cannot be used together"),
        (["--count", "0"], "between 1 and 1000"),
        (["--offset", "-3"], "at least 0"),
        (["-H", "no colon"], "'Name: value'"),
        (["-q", "novalue"], "name=value"),
        (["--limit", "11"], "between 1 and 10"),
        (["-H", "X-HTTP-Method-Override: DELETE"], "only accepted on POST"),
    ],
)
def test_local_validation_exits_2_and_sends_nothing(
    server: SandboxServer, argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["send", "GET", "/lists", *target(server), *argv])
    assert code == 2 and message in capsys.readouterr().err
    assert httpx.get(f"{server.url}/_sandbox/stats").json()["requests"] == 0


def test_missing_path_param_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["send", "GET", "/lists/{list_id}/members", "--sandbox"]) == 2
    assert "no value for {list_id}" in capsys.readouterr().err


def test_method_override_sends_post(
    server: SandboxServer, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        [
            "send",
            "DELETE",
            "/lists/{list_id}",
            "-q",
            "list_id=nope",
            "--method-override",
            *target(server),
            "--json",
        ]
    )
    doc = json.loads(capsys.readouterr().out)
    assert code == 1 and doc["outcome"]["method"] == "POST"
    assert doc["outcome"]["request"]["headers"] == {"X-HTTP-Method-Override": "DELETE"}
    assert doc["outcome"]["status"] == 404  # the override was honoured, then the list not found


def test_curl_export_has_no_secret(
    server: SandboxServer, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["send", "POST", "/lists", *target(server), "--data", '{"name": "x"}', "--curl"])
    out = capsys.readouterr()
    assert code == 0 and out.out.startswith("printf ") and "| curl -K -" in out.out
    assert "$MAILCHIMP_API_KEY" in out.out
    assert not any(s in out.out + out.err for s in secrets_of(server))
    assert httpx.get(f"{server.url}/_sandbox/stats").json()["requests"] == 0


def test_the_key_never_appears_in_any_output(
    server: SandboxServer, capsys: pytest.CaptureFixture[str]
) -> None:
    runs = [
        ["send", "GET", "/", *target(server), "--json"],
        ["send", "GET", "/lists/x", *target(server)],
        ["send", "GET", "/", *target(server), "--trigger-error", "APIKeyInvalid", "--json"],
        ["send", "GET", "/ping", *target(server), "--repeat", "5", "--concurrency", "2", "--json"],
    ]
    for argv in runs:
        main(argv)
        out = capsys.readouterr()
        assert not any(s in out.out + out.err for s in secrets_of(server)), argv


def test_repeat_prints_a_summary(server: SandboxServer, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["send", "GET", "/ping", *target(server), "--repeat", "12", "--concurrency", "3"])
    out = capsys.readouterr().out
    assert code == 0
    assert "12 requests, 3 at a time" in out and "statuses: 200×12" in out
    assert "peak in flight: 3" in out


def test_unknown_outcome_exits_1(server: SandboxServer, capsys: pytest.CaptureFixture[str]) -> None:
    httpx.put(f"{server.url}/_sandbox/faults", json={"rates": {"502": 1.0}}).raise_for_status()
    code = main(["send", "POST", "/lists", *target(server), "--data", "{}"])
    out = capsys.readouterr().out
    assert code == 1 and "? outcome unknown" in out


def test_json_is_highlighted_only_for_a_terminal() -> None:
    assert "\x1b[" in render_json({"a": 1}, color=True)
    assert render_json({"a": 1}) == '{\n  "a": 1\n}'
