"""The logic of benchmarks/mailersend_sdk_tests.py on tiny fixtures: reading cassettes, the
key-set comparison, the creation-throttle plan, id rewriting, the missing-route check, and a
short replay on the real sandbox."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from mcexplorer.sandbox.catalog import Catalog
from tests.mailersend.conftest import MailerSend

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"
if str(BENCHMARKS) not in sys.path:
    sys.path.insert(0, str(BENCHMARKS))

import mailersend_cassettes as mc  # noqa: E402
import mailersend_sdk_tests as bench  # noqa: E402

CASSETTE = """\
interactions:
- request:
    body: '{"name": "a"}'
    headers: {}
    method: POST
    uri: https://api.mailersend.com/v1/webhooks?x=1
  response:
    body:
      string: '{"data":{"id":"abc"}}'
    headers:
      Date:
      - Tue, 29 Jul 2025 14:20:35 GMT
    status:
      code: 201
      message: Created
- request:
    body: null
    headers: {}
    method: DELETE
    uri: https://api.mailersend.com/v1/webhooks/abc
  response:
    body:
      string: ''
    headers:
      date:
      - Tue, 29 Jul 2025 14:20:36 GMT
      retry-after:
      - '3'
    status:
      code: 429
      message: Too Many Requests
"""
EARLIER = CASSETTE.replace("14:20:3", "09:00:0").replace("webhooks", "domains")


def exchange(status: int, cassette: str = "a.yaml", *, retry_after: bool = False) -> mc.Exchange:
    when = datetime(2025, 7, 29, tzinfo=UTC)
    return mc.Exchange(cassette, 0, when, "POST", "webhooks", None, status, None, retry_after)


def test_exchanges_come_in_recorded_order_with_their_bodies(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(CASSETTE)
    (tmp_path / "b.yaml").write_text(EARLIER)
    loaded = mc.load_exchanges(tmp_path)
    assert [(e.cassette, e.index, e.method, e.target) for e in loaded] == [
        ("b.yaml", 0, "POST", "domains?x=1"),
        ("b.yaml", 1, "DELETE", "domains/abc"),
        ("a.yaml", 0, "POST", "webhooks?x=1"),
        ("a.yaml", 1, "DELETE", "webhooks/abc"),
    ]
    first, second = loaded[2], loaded[3]
    assert (first.status, first.answer, first.body, first.retry_after) == (
        201,
        {"data": {"id": "abc"}},
        '{"name": "a"}',
        False,
    )
    assert (second.status, second.answer, second.retry_after) == (429, None, True)


@pytest.mark.parametrize(
    ("recorded", "ours", "found"),
    [
        ({"data": {"id": 1, "name": "x"}}, {"data": {"id": 2, "name": None}}, []),
        ({"data": {"id": 1, "name": "x"}}, {"data": {"id": 2}}, [".data: ['name']"]),
        (
            {"data": [{"id": 1, "a": 1}]},
            {"data": [{"id": 2}, {"id": 3, "a": 1}]},
            [".data[]: ['a']"],
        ),
        ({"data": [{"id": 1, "a": 1}]}, {"data": []}, []),
        ({"data": {"id": 1}}, {"data": "text"}, [".data: an object on one side only"]),
        ({"message": "m"}, None, [".: an object on one side only"]),
        (None, None, []),
    ],
)
def test_key_sets_are_compared_at_every_level_both_answers_have(
    recorded: Any, ours: Any, found: list[str]
) -> None:
    assert mc.key_differences(mc.key_tree(recorded), mc.key_tree(ours)) == found


def test_list_answers_count_when_both_sides_have_items() -> None:
    assert mc.listed_on_both_sides({"data": [{"id": 1}]}, [{"id": 2}])
    assert not mc.listed_on_both_sides({"data": [{"id": 1}]}, {"data": []})
    assert not mc.listed_on_both_sides({"data": {"id": 1}}, {"data": {"id": 1}})


def test_a_run_of_throttled_creations_sets_the_throttle_once_before_it() -> None:
    recorded = [
        exchange(201),
        exchange(429),
        exchange(429),
        exchange(422),
        exchange(429, retry_after=True),  # the per-minute window, not the creation throttle
        exchange(429, "a.yaml"),
        exchange(429, "b.yaml"),
    ]
    assert mc.throttle_plan(recorded) == {1: 2, 5: 1, 6: 1}


def test_the_recorders_values_and_the_ids_it_was_given_become_the_sandboxs() -> None:
    values = {"{sender}": "news@d.test", "{domain}": "dom1", "{template}": "t1"}
    rewriter = mc.Rewriter({**values, "{domain_name}": "d.test"})
    body = '{"from": "ms-sdk@igor.fail", "cc": "cc@igor.fail", "domain_id": "65qngkdovk8lwr12"}'
    assert rewriter.apply(body) == '{"from": "news@d.test", "cc": "cc@d.test", "domain_id": "dom1"}'
    rewriter.learn(
        {"data": {"id": "real1", "items": [{"id": "real2"}]}, "bulk_email_id": "real3"},
        {"data": {"id": "ours1", "items": [{"id": "ours2"}]}, "bulk_email_id": "ours3"},
    )
    assert rewriter.apply("webhooks/real1 real2 bulk-email/real3") == (
        "webhooks/ours1 real2 bulk-email/ours3"
    )


def test_a_call_is_on_a_missing_route_when_the_catalog_has_no_such_operation() -> None:
    catalog = Catalog.load("mailersend_catalog.json")
    base = "http://127.0.0.1:1/v1/"
    assert not bench.missing_route(catalog, {"method": "GET", "url": base + "webhooks?page=1"})
    assert not bench.missing_route(catalog, {"method": "DELETE", "url": base + "webhooks/x"})
    assert bench.missing_route(catalog, {"method": "PATCH", "url": base + "webhooks/x"})
    assert bench.missing_route(catalog, {"method": "GET", "url": base + "no-such-family"})


REPLAY = """\
interactions:
- request:
    body: '{"url": "https://example.com/hook", "name": "Hook", "events": ["activity.sent"],
      "domain_id": "65qngkdovk8lwr12"}'
    headers: {}
    method: POST
    uri: https://api.mailersend.com/v1/webhooks
  response:
    body:
      string: '{"message":"You cannot create a resource at the moment."}'
    headers:
      Date:
      - Tue, 29 Jul 2025 14:20:35 GMT
    status:
      code: 429
      message: Too Many Requests
- request:
    body: '{"url": "https://example.com/hook", "name": "Hook", "events": ["activity.sent"],
      "domain_id": "65qngkdovk8lwr12"}'
    headers: {}
    method: POST
    uri: https://api.mailersend.com/v1/webhooks
  response:
    body:
      string: '{"data":{"id":"recorded1","url":"https://example.com/hook"}}'
    headers:
      Date:
      - Tue, 29 Jul 2025 14:20:36 GMT
    status:
      code: 201
      message: Created
- request:
    body: null
    headers: {}
    method: DELETE
    uri: https://api.mailersend.com/v1/webhooks/recorded1
  response:
    body:
      string: ''
    headers:
      Date:
      - Tue, 29 Jul 2025 14:20:37 GMT
    status:
      code: 204
      message: No Content
"""


def test_a_replay_throttles_rewrites_and_follows_created_ids_on_the_sandbox(
    ms: MailerSend, tmp_path: Path
) -> None:
    (tmp_path / "hooks.yaml").write_text(REPLAY)
    with ms.client() as api:
        results = mc.replay(api, ms.admin, mc.load_exchanges(tmp_path))
        domain = mc.demo_values(api)["{domain}"]
        left = api.get("webhooks", params={"domain_id": domain}).json()["data"]
    # The throttle refused the first creation, the second used the demo domain, and the
    # DELETE reached the id the sandbox gave (an unknown one would answer 404).
    assert [r.status for r in results] == [429, 201, 204]
    assert results[0].matches and results[2].matches
    assert left == []  # the webhook the replay made was the one it deleted
    assert ms.settings()["create_throttle"] == 0
