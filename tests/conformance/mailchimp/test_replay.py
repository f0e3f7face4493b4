"""Replays the conformance corpus (facts from real recorded API traffic) against a fresh
sandbox on a real loopback socket. The share of cases that pass is the sandbox's fidelity
figure in the README."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from mcexplorer.sandbox.server import SandboxServer

CORPUS = json.loads((Path(__file__).parent / "corpus.json").read_text("utf-8"))
CASES = CORPUS["cases"]
PLACEHOLDER = re.compile(r"\{([a-zA-Z0-9]+)(?::([^}]*))?\}")
LINK = re.compile(r'<([^>]*)>;\s*rel="([^"]+)"')


@pytest.fixture(scope="module")
def server() -> Iterator[SandboxServer]:
    with SandboxServer(seed=5) as box:
        yield box


class Replay:
    """One case on a freshly reset account: placeholders, setup, request, comparison."""

    def __init__(self, server: SandboxServer, case: dict[str, Any]) -> None:
        self.server = server
        self.case = case
        httpx.post(server.url + "/_sandbox/reset", json={}).raise_for_status()
        self.api = httpx.Client(base_url=server.api_url.rstrip("/"), auth=("any", server.demo_key))
        lists = self.api.get("/lists").json()["lists"]
        self.names = {f"list{i + 1}" if i else "list": lst["id"] for i, lst in enumerate(lists)}
        categories = self.api.get(f"/lists/{lists[0]['id']}/interest-categories").json()
        self.names["category"] = categories["categories"][0]["id"]
        self.saved: dict[str, str] = {}

    def fill(self, value: Any) -> Any:
        if isinstance(value, dict):
            return {self.fill(k): self.fill(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.fill(v) for v in value]
        if isinstance(value, str):
            return PLACEHOLDER.sub(self._one, value)
        return value

    def _one(self, match: re.Match[str]) -> str:
        kind, arg = match.group(1), match.group(2)
        if kind in ("md5", "MD5"):
            digest = hashlib.md5(arg.lower().encode()).hexdigest()
            return digest.upper() if kind == "MD5" else digest
        if kind == "member":
            found = self.api.get(f"/lists/{self.names['list3']}/members", params={"status": arg})
            return str(found.json()["members"][0]["id"])
        if kind == "saved":
            return self.saved[arg]
        return self.names[kind]

    def send(self, step: dict[str, Any]) -> httpx.Response:
        headers = dict(step.get("headers", {}))
        auth: tuple[str, str] | None = ("any", self.server.demo_key)
        if step.get("auth") == "disabled":
            auth = ("any", self.server.app.store.disabled_key)  # type: ignore[union-attr]
        body = step.get("body")
        return self.api.request(
            step["method"],
            self.fill(step["path"]),
            params=self.fill(step.get("query")),
            json=self.fill(body) if body is not None else None,
            headers=headers,
            auth=auth,
        )

    def run(self) -> list[str]:
        for step in self.case.get("setup", []):
            if "advance_s" in step:
                store = self.server.app.store
                later = _shifted(store.clock, float(step["advance_s"]))  # type: ignore[union-attr]
                store.clock = later  # type: ignore[union-attr]
                continue
            response = self.send(step)
            if response.status_code >= 300:
                return [f"setup {step['method']} {step['path']} got {response.status_code}"]
            if "save" in step:
                self.saved[step["save"]] = str(response.json()["id"])
        response = self.send(self.case["request"])
        return compare(self, response, self.case["expect"])


def _shifted(clock: Callable[[], float], seconds: float) -> Callable[[], float]:
    return lambda: clock() + seconds


def _pairs(links: list[dict[str, str]]) -> set[tuple[str, str]]:
    return {(link["rel"], link["method"]) for link in links}


def _at(body: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        body = body.get(part) if isinstance(body, dict) else None
    return body


def compare(replay: Replay, response: httpx.Response, expect: dict[str, Any]) -> list[str]:
    bad: list[str] = []

    def check(what: str, got: Any, want: Any) -> None:
        if got != want:
            bad.append(f"{what}: sandbox {got!r}, real {want!r}")

    check("status", response.status_code, expect["status"])
    if "content_type" in expect:
        media = response.headers.get("content-type", "").split(";")[0]
        check("content type", media, expect["content_type"])
    if expect.get("empty_body"):
        check("body", response.content, b"")
        return bad
    body = response.json() if response.content else None
    if not isinstance(body, dict):
        return [*bad, f"body is not an object: {response.text[:80]!r}"]
    if "title" in expect:
        check("title", body.get("title"), expect["title"])
    if "type" in expect:
        check("type", body.get("type"), expect["type"])
    if "keys" in expect:
        check("keys", sorted(body), sorted(expect["keys"]))
    for name, keys in expect.get("sub_keys", {}).items():
        check(f"{name} keys", sorted(body.get(name) or {}), sorted(keys))
    for name, keys in expect.get("sub_keys_absent", {}).items():
        check(f"{name} keys absent", sorted(set(body.get(name) or {}) & set(keys)), [])
    first = {k: (body.get(k) or [{}])[0] for k in body if isinstance(body.get(k), list)}
    for name, keys in expect.get("item_keys", {}).items():
        check(f"{name}[0] keys", sorted(first.get(name, {})), sorted(keys))
    for name, keys in expect.get("item_keys_absent", {}).items():
        check(f"{name}[0] keys absent", sorted(set(first.get(name, {})) & set(keys)), [])
    for name, keys in expect.get("item_keys_include", {}).items():
        check(f"{name}[0] keys missing", sorted(set(keys) - set(first.get(name, {}))), [])
    for name, subs in expect.get("item_sub_keys", {}).items():
        for sub, keys in subs.items():
            check(f"{name}[0].{sub} keys", sorted(first.get(name, {}).get(sub) or {}), sorted(keys))
    for name, subs in expect.get("item_sub_keys_include", {}).items():
        for sub, keys in subs.items():
            have = set(first.get(name, {}).get(sub) or {})
            check(f"{name}[0].{sub} keys missing", sorted(set(keys) - have), [])
    if "links" in expect:
        want = {tuple(p) for p in expect["links"]}
        check("links", sorted(_pairs(body.get("_links", []))), sorted(want))
    if "links_include" in expect:
        want = {tuple(p) for p in expect["links_include"]}
        check("links missing", sorted(want - _pairs(body.get("_links", []))), [])
    for name, pairs in expect.get("item_links", {}).items():
        got = _pairs(first.get(name, {}).get("_links", []))
        check(f"{name}[0] links", sorted(got), sorted(tuple(p) for p in pairs))
    for name, count in expect.get("count", {}).items():
        check(f"{name} count", len(body.get(name, [])), count)
    for dotted, value in expect.get("values", {}).items():
        check(dotted, _at(body, dotted), replay.fill(value))
    if "error_fields" in expect:
        check(
            "error fields", [e.get("field") for e in body.get("errors", [])], expect["error_fields"]
        )
    for name, value in expect.get("headers", {}).items():
        check(f"{name} header", response.headers.get(name), value)
    links = {rel: url for url, rel in LINK.findall(response.headers.get("link", ""))}
    if "described_by" in expect:
        check("describedBy", links.get("describedBy", "").endswith(expect["described_by"]), True)
    for rel in expect.get("link_rels", []):
        check(f"Link rel {rel}", rel in links, True)
    if expect.get("instance_is_request_id"):
        check("instance", body.get("instance"), response.headers.get("x-request-id"))
    return bad


def test_corpus_is_large_varied_and_sourced() -> None:
    sources = CORPUS["sources"]
    assert len(CASES) >= 60
    assert len({case["source"] for case in CASES}) >= 4
    assert len({case["id"] for case in CASES}) == len(CASES)
    for case in CASES:
        assert case["source"] in sources and re.fullmatch(r"\d{4}-\d\d-\d\d", case["recorded"])
        assert "repository" in sources[case["source"]]


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_case_matches_the_real_api(server: SandboxServer, case: dict[str, Any]) -> None:
    assert Replay(server, case).run() == []
