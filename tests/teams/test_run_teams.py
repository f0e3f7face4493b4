"""End to end: `mcexplorer run` with variables from every layer, an environment that picks
its profile, and assertions, against the sandbox on a real loopback socket, with reports."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from mcexplorer.cli import main
from mcexplorer.core.accounts.keys import Credentials
from mcexplorer.core.accounts.profiles import Accounts
from mcexplorer.core.collections.assertions import assertion_from_dict
from mcexplorer.core.collections.environments import (
    Environment,
    collection_environment_path,
    profile_environment_path,
    save_environment,
)
from mcexplorer.core.collections.format import SavedRequest
from mcexplorer.core.collections.store import Collection
from mcexplorer.core.http.request import ApiRequest
from mcexplorer.sandbox.server import SandboxServer

OTHER_KEY = "f" * 32 + "-us9"


@pytest.fixture
def sandbox() -> Iterator[SandboxServer]:
    with SandboxServer() as server:
        yield server


def _requests_served(server: SandboxServer) -> int:
    return int(httpx.get(f"{server.url}/_sandbox/stats").json()["requests"])


def _truth(server: SandboxServer) -> dict[str, Any]:
    """What the account holds, read directly (the test's expectations come from here)."""
    auth = ("any", server.demo_key)
    list_id = httpx.get(server.api_url + "lists", auth=auth).json()["lists"][0]["id"]
    first = httpx.get(
        f"{server.api_url}lists/{list_id}/members", params={"count": "1"}, auth=auth
    ).json()["members"][0]
    return {"list_id": list_id, "email": first["email_address"], "status": first["status"]}


def _checks(*written: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(assertion_from_dict(w) for w in written)


def _team_collection(root: Path, server: SandboxServer, truth: dict[str, Any]) -> None:
    """Defaults that the higher layers must beat, an environment naming the profile to use,
    and that profile's own environment."""
    root.mkdir()
    coll = Collection.load(root)
    coll.name = "Team"
    coll.variables = {"list_id": "0000000000", "count": "5", "status": truth["status"]}
    coll.save_variables()
    accounts = Accounts()
    accounts.add("elsewhere", Credentials.api_key(OTHER_KEY))  # the default: never used here
    accounts.add("sandbox-team", Credentials.api_key(server.demo_key), base_url=server.api_url)
    env = Environment("staging", {"list_id": truth["list_id"]}, profile="sandbox-team")
    path = collection_environment_path(root, "staging")
    path.parent.mkdir()
    save_environment(path, env)
    profile_env = profile_environment_path("sandbox-team")
    profile_env.parent.mkdir(parents=True)
    save_environment(profile_env, Environment("sandbox-team", {"email": truth["email"]}))

    members = ApiRequest(
        "GET",
        "/lists/{list_id}/members",
        query={"count": "{{count}}", "fields": "{{fields}}", "status": "{{status}}"},
    )
    coll.save(
        "lists/members",
        SavedRequest(
            members,
            "The first member, as the profile's environment expects",
            _checks(
                {"status": "2xx"},
                {"json": "members[0].email_address", "equals": "{{email}}"},
                {"json": "members[*].status", "equals": "{{status}}"},
                {"json": "members[1]", "exists": False},  # --var count=1 beat the default 5
                {"header": "Content-Type", "matches": "json"},
            ),
        ),
    )
    one = SavedRequest(
        ApiRequest("GET", "/lists/{list_id}", query={"fields": "id,name"}),
        assertions=_checks(
            {"json": "id", "equals": "{{list_id}}"}, {"json": "name", "exists": True}
        ),
    )
    coll.save("lists/one", one)
    gone = ApiRequest("GET", "/lists/{list_id}", {"list_id": "nope"})
    coll.save("lists/expect-404", SavedRequest(gone, assertions=_checks({"status": 404})))


def test_a_team_collection_runs_headless_with_variables_environments_and_assertions(
    sandbox: SandboxServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    truth = _truth(sandbox)
    root = tmp_path / "team"
    _team_collection(root, sandbox, truth)
    monkeypatch.setenv("MCX_VAR_fields", "members.email_address,members.status")
    monkeypatch.setenv("fields", "never read: not MCX_VAR_")
    report_xml, report_json = tmp_path / "green.xml", tmp_path / "green.json"
    run = ["run", str(root), "--env", "staging", "--var", "count=1"]

    assert main([*run, "--report", str(report_xml)]) == 0
    out = capsys.readouterr().out
    assert "3 requests: 3 passed, 0 failed" in out
    suite = ET.parse(report_xml).getroot().find("testsuite")
    assert suite is not None
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("3", "0", "0")
    assert main([*run, "--report", str(report_json)]) == 0
    results = {r["name"]: r for r in json.loads(report_json.read_text())["results"]}
    members = results["lists/members.request.json"]
    assert members["path"] == f"/lists/{truth['list_id']}/members"
    assert [a["passed"] for a in members["assertions"]] == [True] * 5
    assert members["assertions"][1]["actual"] == truth["email"]
    assert results["lists/expect-404.request.json"]["status"] == 404
    assert results["lists/expect-404.request.json"]["ok"] is True

    # A failing assertion and an unresolved variable fail the run; the latter is never sent.
    coll = Collection.load(root)
    wrong = SavedRequest(
        ApiRequest("GET", "/lists/{list_id}", query={"fields": "id,name"}),
        assertions=_checks({"json": "name", "equals": "Not This Name"}),
    )
    coll.save("lists/wrong-name", wrong)
    unresolved = ApiRequest("GET", "/lists/{list_id}/members/{subscriber_hash}")
    coll.save("lists/unresolved", SavedRequest(unresolved))
    served = _requests_served(sandbox)
    capsys.readouterr()
    assert main([*run, "--report", str(report_xml)]) == 1
    assert _requests_served(sandbox) == served + 4  # not the unresolved one
    out = capsys.readouterr().out
    name = httpx.get(
        f"{sandbox.api_url}lists/{truth['list_id']}", auth=("any", sandbox.demo_key)
    ).json()["name"]
    assert f'assertion failed: json name: expected "Not This Name", got "{name}"' in out
    assert "ERROR  lists/unresolved.request.json: not sent: unresolved variables " in out
    assert "subscriber_hash" in out
    suite = ET.parse(report_xml).getroot().find("testsuite")
    assert suite is not None
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("5", "1", "1")
    failure = suite.find("testcase[@name='wrong-name.request.json']/failure")
    assert failure is not None and failure.get("type") == "assertion"
    assert failure.get("message") == f'json name: expected "Not This Name", got "{name}"'
    error = suite.find("testcase[@name='unresolved.request.json']/error")
    assert error is not None and "subscriber_hash" in (error.get("message") or "")


def test_a_single_request_with_unresolved_variables_is_refused_before_sending(
    sandbox: SandboxServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    list_id = _truth(sandbox)["list_id"]
    root = tmp_path / "solo"
    root.mkdir()
    coll = Collection.load(root)
    req = ApiRequest("GET", "/lists/{list_id}/members", query={"status": "{{status}}"})
    coll.save("members", SavedRequest(req))
    monkeypatch.setenv("MCX_RUN_KEY", sandbox.demo_key)
    target = ["--base-url", sandbox.api_url, "--key-env", "MCX_RUN_KEY"]
    served = _requests_served(sandbox)
    assert main(["run", str(root / "members.request.json"), *target]) == 2
    err = capsys.readouterr().err
    assert "unresolved variables list_id, status; nothing was sent" in err
    assert _requests_served(sandbox) == served

    ok = ["run", str(root / "members.request.json"), *target, "--var", "status=subscribed"]
    monkeypatch.setenv("MCX_VAR_list_id", list_id)
    assert main(ok) == 0
    assert _requests_served(sandbox) == served + 1


def test_a_secret_in_an_environment_stops_the_run_and_is_never_shown(
    sandbox: SandboxServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    root = tmp_path / "leaky"
    (root / "environments").mkdir(parents=True)
    Collection.load(root).save("ping", SavedRequest(ApiRequest("GET", "/ping")))
    leaked = {"variables": {"mailchimp_api_key": sandbox.demo_key}}
    (root / "environments" / "prod.json").write_text(json.dumps(leaked), encoding="utf-8")
    monkeypatch.setenv("MCX_RUN_KEY", sandbox.demo_key)
    target = ["--base-url", sandbox.api_url, "--key-env", "MCX_RUN_KEY"]
    served = _requests_served(sandbox)
    assert main(["run", str(root), *target, "--env", "prod"]) == 2
    captured = capsys.readouterr()
    assert "refusing variable 'mailchimp_api_key'" in captured.err
    assert sandbox.demo_key not in captured.out + captured.err
    assert main(["run", str(root), *target, "--var", f"note={sandbox.demo_key}"]) == 2
    captured = capsys.readouterr()
    assert "--var: refusing variables that look like credentials ('note'" in captured.err
    assert sandbox.demo_key not in captured.out + captured.err
    assert _requests_served(sandbox) == served
