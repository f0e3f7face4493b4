"""What the cheaper request path must keep: one write per response, seeded request ids,
link hrefs quoted as before, JSON for values orjson refuses, forwarded headers ignored."""

from __future__ import annotations

import asyncio
import json
import uuid

import httpx

from mcexplorer.sandbox.app import SandboxApp, _dumps
from mcexplorer.sandbox.links import resource_links
from mcexplorer.sandbox.protocol import CorkedTransport
from mcexplorer.sandbox.server import SandboxServer


class RecordingTransport(asyncio.Transport):
    def __init__(self) -> None:
        super().__init__()
        self.writes: list[bytes] = []
        self.closed = False

    def write(self, data: bytes | bytearray | memoryview) -> None:
        self.writes.append(bytes(data))

    def is_closing(self) -> bool:
        return self.closed

    def close(self) -> None:
        self.closed = True


async def test_writes_of_one_loop_step_leave_in_one_write() -> None:
    raw = RecordingTransport()
    corked = CorkedTransport(raw)
    corked.write(b"head")
    corked.write(b"body")
    assert raw.writes == []
    await asyncio.sleep(0)
    assert raw.writes == [b"headbody"]
    corked.write(b"partial")
    corked.close()  # a reset fault: what was written still goes out before the close
    assert raw.writes == [b"headbody", b"partial"]
    assert raw.closed
    corked.write(b"late")
    await asyncio.sleep(0)
    assert raw.writes == [b"headbody", b"partial"]


def test_request_ids_are_v4_uuids_that_differ_between_runs_of_one_seed() -> None:
    first, second = SandboxApp(seed=3), SandboxApp(seed=3)
    ids = [first._request_id() for _ in range(50)] + [second._request_id() for _ in range(50)]
    assert len(set(ids)) == len(ids)
    for text in ids:
        parsed = uuid.UUID(text)
        assert str(parsed) == text
        assert parsed.version == 4
        assert parsed.variant == uuid.RFC_4122


def test_link_hrefs_quote_params_and_keep_unknown_placeholders() -> None:
    links = resource_links(
        "http://127.0.0.1:1/3.0", "/lists/{list_id}", {"list_id": "a b/c@d"}, item=True
    )
    assert links[0] == {
        "rel": "self",
        "href": "http://127.0.0.1:1/3.0/lists/a%20b%2Fc@d",
        "method": "GET",
        "targetSchema": "http://127.0.0.1:1/schema/3.0/Definitions/Lists/Response.json",
    }
    members = resource_links("http://h{x}/3.0/", "/lists/{list_id}/members", {}, item=False)
    assert members[0]["href"] == "http://h{x}/3.0/lists/{list_id}/members"
    assert members[1]["href"] == "http://h{x}/3.0/lists/{list_id}"


def test_json_beyond_64_bit_ints_still_encodes() -> None:
    value = {"big": 2**70, "text": "é", 1: [0.5]}
    assert json.loads(_dumps(value)) == {"big": 2**70, "text": "é", "1": [0.5]}


def test_forwarded_headers_do_not_change_the_origin(
    api: httpx.Client, sandbox: SandboxServer
) -> None:
    lists = api.get("lists", headers={"X-Forwarded-Proto": "https"}).json()["lists"]
    assert lists[0]["_links"][0]["href"].startswith(sandbox.api_url)
