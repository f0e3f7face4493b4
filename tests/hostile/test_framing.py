"""Requests that would frame the message wrongly, or reach another resource, never go out.

The hostile server records every byte it is sent: a refused request leaves it empty.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from mcexplorer.cli import main
from mcexplorer.core.collections.curl_import import CurlImportError, parse_curl
from tests.hostile.server import KEY, HostileServer, http


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[HostileServer]:
    monkeypatch.setenv("MCX_KEY", KEY)
    with HostileServer(lambda received: http("200 OK", b"{}")).running() as running:
        yield running


def send(server: HostileServer, *argv: str) -> int:
    return main(["send", *argv, "--base-url", server.base_url(), "--key-env", "MCX_KEY"])


@pytest.mark.parametrize(
    "header",
    [
        "Host: evil.example",
        "Content-Length: 5",
        "Transfer-Encoding: chunked",
        "Connection: close",
        "content-length: 0",
    ],
)
def test_framing_headers_from_the_command_line_are_refused(
    server: HostileServer, header: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert send(server, "PUT", "/lists/a", "--data", "{}", "-H", header) == 2
    name = header.partition(":")[0]
    assert f"{name} frames the message" in capsys.readouterr().err
    assert server.received == []


@pytest.mark.parametrize(
    "argv",
    [
        ["DELETE", "/lists/{list_id}/members/{subscriber_hash}", "-q", "subscriber_hash=.."],
        ["DELETE", "/lists/{list_id}/members/{subscriber_hash}", "-q", "subscriber_hash=."],
        ["DELETE", "/lists/{list_id}/members/{subscriber_hash}", "-q", "subscriber_hash="],
        ["DELETE", "/lists/{list_id}/members/{subscriber_hash}", "-q", "subscriber_hash= "],
        ["DELETE", "/lists/L/members/.."],
        ["DELETE", "/lists/L/members/../"],
        ["DELETE", "/lists//members"],
        ["GET", "/lists\r\n"],
        ["GET", "/lists/a b"],
    ],
)
def test_paths_that_could_reach_another_resource_are_refused(
    server: HostileServer, argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert send(server, *argv, "-q", "list_id=L") == 2
    assert "invalid request: path" in capsys.readouterr().err
    assert server.received == []


def test_one_host_and_one_length_reach_the_wire(server: HostileServer) -> None:
    assert send(server, "PUT", "/lists/a", "--data", '{"name": "x"}') == 0
    [request] = server.received
    assert request.header_values("host") == [f"127.0.0.1:{server.port}"]
    assert request.header_values("content-length") == [str(len(request.body))]
    assert json.loads(request.body) == {"name": "x"}
    assert request.header_values("transfer-encoding") == []


def test_a_saved_request_with_a_framing_header_or_dot_segment_is_refused_on_load(
    server: HostileServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "coll"
    folder.mkdir()
    bad = {
        "method": "DELETE",
        "path": "/lists/{list_id}/members/{subscriber_hash}",
        "path_params": {"list_id": "L", "subscriber_hash": ".."},
    }
    host = {"method": "GET", "path": "/ping", "headers": {"Host": "evil.example"}}
    good = {"method": "GET", "path": "/ping"}
    for name, data in (("bad", bad), ("host", host), ("good", good)):
        (folder / f"{name}.request.json").write_text(json.dumps(data), encoding="utf-8")
    assert main(["collection", "list", str(folder)]) == 1
    err = capsys.readouterr().err
    assert "bad.request.json" in err and "'..' is not a resource id" in err
    assert "host.request.json" in err and "Host frames the message" in err
    code = main(["run", str(folder), "--base-url", server.base_url(), "--key-env", "MCX_KEY"])
    out = capsys.readouterr().out
    assert code == 1 and "ERROR  bad.request.json" in out and "ERROR  host.request.json" in out
    assert [r.request_line for r in server.received] == ["GET /3.0/ping HTTP/1.1"]


@pytest.mark.parametrize(
    ("command", "cause"),
    [
        ("curl -H 'Host: evil.example' https://us6.api.mailchimp.com/3.0/ping", "Host frames"),
        (
            "curl -X PUT -H 'Content-Length: 2' https://us6.api.mailchimp.com/3.0/lists/a -d '{}'",
            "Content-Length frames",
        ),
        ("curl -X DELETE https://us6.api.mailchimp.com/3.0/lists/L/members/..", "'..'"),
    ],
)
def test_curl_imports_refuse_framing_headers_and_dot_segments(command: str, cause: str) -> None:
    with pytest.raises(CurlImportError, match=cause):
        parse_curl(command)


def test_curl_import_command_exits_2_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    command = "curl -H 'Transfer-Encoding: chunked' https://us6.api.mailchimp.com/3.0/ping"
    monkeypatch.setattr("sys.stdin", io.StringIO(command))
    out = tmp_path / "ping.request.json"
    assert main(["collection", "import-curl", "-o", str(out)]) == 2
    assert "Transfer-Encoding frames the message" in capsys.readouterr().err
    assert not out.exists()


def test_a_key_in_the_query_or_a_custom_header_is_refused_and_never_printed(
    server: HostileServer, capsys: pytest.CaptureFixture[str]
) -> None:
    for extra in (["-q", f"apikey={KEY}"], ["-q", f"note={KEY}"], ["-H", f"X-Api-Token: {KEY}"]):
        assert send(server, "GET", "/ping", *extra) == 2
        captured = capsys.readouterr()
        assert "carries a credential" in captured.err
        assert KEY not in captured.out + captured.err
    assert server.received == []


def test_a_batch_operation_with_a_dot_segment_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Inside a batch the path goes to the API in a JSON body; it is checked the same way."""
    ops = tmp_path / "ops.csv"
    ops.write_text("method,path\nDELETE,/lists/L/members/..\nGET,/ping\n", encoding="utf-8")
    assert main(["batch", "submit", str(ops), "--sandbox"]) == 2
    err = capsys.readouterr().err
    assert "the batch was not sent" in err and "ops.csv, line 2: path: has a '.' or '..'" in err
