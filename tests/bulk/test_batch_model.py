"""Batch operations: built from requests, CSV and JSON, and checked before anything is sent."""

from __future__ import annotations

import json
from pathlib import Path

from mcexplorer.core.bulk.batch import (
    BatchOperation,
    batch_payload,
    compose_from_files,
    operations_from_csv,
    validate_batch,
    write_operations_csv,
)
from mcexplorer.core.collections.format import SavedRequest
from mcexplorer.core.collections.store import Collection
from mcexplorer.core.http.request import ApiRequest
from tests.bulk.conftest import write


def test_a_request_becomes_an_operation_with_its_body_as_json_text() -> None:
    req = ApiRequest(
        "put",
        "/lists/{list_id}/members/{subscriber_hash}",
        path_params={"list_id": "abc", "subscriber_hash": "a/b"},
        body={"email_address": "a@example.com", "status_if_new": "subscribed"},
    )
    op = BatchOperation.from_request(req, "row-2")
    payload = batch_payload([op])["operations"][0]
    assert payload["method"] == "PUT"
    assert payload["path"] == "/lists/abc/members/a%2Fb"
    assert isinstance(payload["body"], str)
    assert json.loads(payload["body"])["email_address"] == "a@example.com"
    assert payload["operation_id"] == "row-2"


def test_validation_names_every_problem_with_its_origin() -> None:
    ops = [
        BatchOperation("FETCH", "/lists"),
        BatchOperation("GET", "lists"),
        BatchOperation("GET", "/lists/{list_id}"),
        BatchOperation("POST", "/lists", params={"count": "5"}, body="{}"),
        BatchOperation("POST", "/lists", body="{not json", operation_id="x"),
        BatchOperation("DELETE", "/lists/a", body="{}", operation_id="x"),
    ]
    found = [str(i) for i in validate_batch(ops, [f"line {n}" for n in range(2, 8)])]
    assert any(s.startswith("line 2: method") for s in found)
    assert any(s.startswith("line 3: path") for s in found)
    assert any("line 4: path: has unfilled placeholders: {list_id}" in s for s in found)
    assert any(s.startswith("line 5: params") for s in found)
    assert any(s.startswith("line 6: body: not valid JSON") for s in found)
    assert "line 7: body: a DELETE operation takes no body" in found
    assert "line 7: operation_id: 'x' is also used by line 6" in found


def test_an_empty_batch_is_refused() -> None:
    assert [str(i) for i in validate_batch([])] == ["batch: operations: nothing to send"]


def test_csv_round_trip_and_params_forms(tmp_path: Path) -> None:
    src = write(
        tmp_path / "ops.csv",
        "method,path,params,body,operation_id\n"
        'GET,/lists,"{""count"": 5, ""fields"": [""lists.id""]}",,all\n'
        "GET,/lists/a/members,status=subscribed&count=10,,subs\n"
        'post,/lists/a/members,,"{""email_address"": ""b@example.com""}",add\n',
    )
    batch = operations_from_csv(src)
    assert batch.operations[0].params == {"count": "5", "fields": "lists.id"}
    assert batch.operations[1].params == {"status": "subscribed", "count": "10"}
    assert batch.origins[2] == "ops.csv, line 4"
    assert validate_batch(batch.operations) == []
    again = tmp_path / "again.csv"
    write_operations_csv(again, batch.operations)
    reread = operations_from_csv(again).operations
    assert [op.to_payload() for op in reread] == [
        {**op.to_payload(), "method": op.method.upper()} for op in batch.operations
    ]


def test_compose_from_a_collection_json_and_csv(tmp_path: Path) -> None:
    coll = Collection(root=tmp_path / "coll", variables={"list_id": "abc"})
    coll.save_variables()
    coll.save("ping", SavedRequest(ApiRequest("GET", "/ping")))
    coll.save(
        "members/add",
        SavedRequest(
            ApiRequest("POST", "/lists/{list_id}/members", body={"email_address": "c@x.io"})
        ),
    )
    ops_json = tmp_path / "ops.json"
    ops_json.write_text(json.dumps({"operations": [{"method": "GET", "path": "/lists"}]}))
    csv_file = write(tmp_path / "ops.csv", "method,path,operation_id\nGET,/ping,ping\n")
    batch, problems = compose_from_files([tmp_path / "coll", ops_json, csv_file])
    assert problems == []
    assert [op.path for op in batch.operations] == [
        "/lists/abc/members",
        "/ping",
        "/lists",
        "/ping",
    ]
    # the saved request named "ping" came first, so the CSV's "ping" clashes and is reported
    assert [str(i) for i in validate_batch(batch.operations, batch.origins)] == [
        "ops.csv, line 2: operation_id: 'ping' is also used by ping"
    ]
