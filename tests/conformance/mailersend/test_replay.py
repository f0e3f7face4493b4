"""Replays the conformance corpus (facts from the official SDK's recorded answers of
api.mailersend.com, in cases.json) against the MailerSend sandbox on a real socket: each
case on a freshly reset demo account, with its 'given' steps first."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import httpx
import pytest

from benchmarks.mailersend_cassettes import key_differences, key_tree
from mcexplorer.sandbox.catalog import Catalog
from tests.mailersend.conftest import MailerSend

CORPUS = json.loads((Path(__file__).with_name("cases.json")).read_text("utf-8"))
CASES = CORPUS["cases"]
UNKNOWN = {
    "{unknown}": "no-such-id",
    "{unknown_hex}": "0" * 24,
    "{unknown_email}": "nobody@example.net",
}


class Account:
    """The placeholder values for one case, and the ids its steps create."""

    def __init__(self, ms: MailerSend, api: httpx.Client) -> None:
        domains = api.get("domains").json()["data"]
        paused = next(d for d in domains if d["domain_settings"]["send_paused"])
        template = api.get("templates").json()["data"][0]
        self.values = {
            **UNKNOWN,
            "{domain}": paused["id"],
            "{domain_name}": paused["name"],
            "{sender}": f"news@{paused['name']}",
            "{template}": template["id"],
        }

    def fill(self, value: Any) -> Any:
        if isinstance(value, str):
            return re.sub(r"{\w+}", lambda m: self.values.get(m.group(0), m.group(0)), value)
        if isinstance(value, list):
            return [self.fill(v) for v in value]
        if isinstance(value, dict):
            return {k: self.fill(v) for k, v in value.items()}
        return value

    def send(self, api: httpx.Client, step: dict[str, Any]) -> httpx.Response:
        query = [(k, self.fill(v)) for k, v in step.get("query", [])]
        body = step.get("body")
        content = None if body is None else json.dumps(self.fill(body))
        headers = {"content-type": "application/json"}
        path = self.fill(step["path"]).lstrip("/")
        return api.request(step["method"], path, params=query, content=content, headers=headers)


def test_the_corpus_names_its_sources_and_real_operations() -> None:
    source = CORPUS["source"]
    assert source["repository"] == "mailersend/mailersend-python"
    assert re.fullmatch(r"[0-9a-f]{40}", source["commit"])
    catalog = Catalog.load("mailersend_catalog.json")
    exchanges = 0
    for case in CASES:
        assert case["seen_in"], case["case"]
        for seen in case["seen_in"]:
            assert seen["file"].startswith("tests/fixtures/cassettes/"), case["case"]
        exchanges += len(case["seen_in"])
        segments = [re.sub(r"{\w+}", "x", s) for s in case["request"]["path"].split("/") if s]
        match = catalog.match(segments)
        assert match is not None and case["request"]["method"] in match.ops, case["case"]
    assert exchanges == 293  # every recorded exchange is behind some case


@pytest.mark.parametrize("case", CASES, ids=[c["case"] for c in CASES])
def test_the_sandbox_answers_as_the_api_did(ms: MailerSend, case: dict[str, Any]) -> None:
    expect = case["expect"]
    with ms.client() as api:
        account = Account(ms, api)
        for step in case["given"]:
            if "admin" in step:
                ms.settings(**step["admin"])
                continue
            made = account.send(api, step).json()
            if step.get("keep_id"):
                data = made.get("data")
                account.values["{created}"] = made.get("bulk_email_id") or data["id"]
        response = account.send(api, case["request"])
    assert response.status_code == expect["status"], response.text
    got = response.json() if response.content else None
    assert key_differences(expect["keys"], key_tree(got)) == []
    if "message" in expect:
        assert got["message"] == expect["message"]
    if "error_fields" in expect:
        assert list(got["errors"]) == expect["error_fields"]
    assert response.headers.get("content-type") == expect["content_type"]
    assert ("x-apiquota-remaining" in response.headers) is expect["quota_headers"]
    for name in expect.get("headers", []):
        assert name in response.headers
