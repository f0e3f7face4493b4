"""Replays the official MailerSend SDK's recorded exchanges (its vcrpy cassettes, real answers
of api.mailersend.com) against the sandbox and compares status and key sets.

Used by benchmarks/mailersend_sdk_tests.py; the pure parts (loading, key trees, the
comparison, the throttle plan, id rewriting) are tested in tests/mailersend/.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import yaml

RECORDED_BASE = "/v1/"

# The recorder's account as its cassettes show it (mailersend-python at 3daa260): a verified
# domain whose sending was paused, a sender with an identity on it, and a template. Longest
# first, so the sender is rewritten before its domain name.
RECORDER = {
    "ms-sdk@igor.fail": "{sender}",
    "65qngkdovk8lwr12": "{domain}",
    "351ndgwkr8xgzqx8": "{template}",
    "igor.fail": "{domain_name}",
}


@dataclass(frozen=True)
class Exchange:
    """One recorded request and the answer the real API gave."""

    cassette: str
    index: int
    when: datetime
    method: str
    target: str  # path below /v1/ with its query, as recorded
    body: str | None
    status: int
    answer: Any  # the decoded JSON body, or None when it was empty or not JSON
    retry_after: bool

    @property
    def name(self) -> str:
        return f"{self.cassette}#{self.index}"


def _header(headers: dict[str, list[str]], name: str) -> str | None:
    for key, values in headers.items():
        if key.lower() == name:
            return values[0]
    return None


def _decode(text: str | bytes | None) -> Any:
    if not text:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None


def load_exchanges(cassettes: Path) -> list[Exchange]:
    """Every exchange of every cassette, in the order the recorder made them (by the answer's
    Date header, then by cassette and position)."""
    found: list[Exchange] = []
    for path in sorted(cassettes.glob("*.yaml")):
        recorded = yaml.safe_load(path.read_text("utf-8"))
        for index, interaction in enumerate(recorded["interactions"]):
            request, response = interaction["request"], interaction["response"]
            url = urlsplit(request["uri"])
            target = url.path.removeprefix(RECORDED_BASE) + (f"?{url.query}" if url.query else "")
            body = response["body"]
            text = body.get("string") if isinstance(body, dict) else body
            found.append(
                Exchange(
                    cassette=path.name,
                    index=index,
                    when=parsedate_to_datetime(_header(response["headers"], "date") or ""),
                    method=request["method"],
                    target=target,
                    body=request["body"],
                    status=response["status"]["code"],
                    answer=_decode(text),
                    retry_after=_header(response["headers"], "retry-after") is not None,
                )
            )
    return sorted(found, key=lambda e: (e.when, e.cassette, e.index))


def key_tree(value: Any) -> Any:
    """The keys at every level; a list stands for its first item (as in the conformance
    corpus: some objects, such as a template's personalization, are keyed by data)."""
    if isinstance(value, dict):
        return {k: key_tree(v) for k, v in value.items()}
    if isinstance(value, list):
        return [key_tree(value[0])] if value else []
    return None


def key_differences(want: Any, got: Any, path: str = "") -> list[str]:
    """Where two key trees differ, at every level both answers have; an empty list on either
    side says nothing about items."""
    if isinstance(want, dict) and isinstance(got, dict):
        found = [f"{path or '.'}: {sorted(set(want) ^ set(got))}"] if set(want) != set(got) else []
        for key in sorted(set(want) & set(got)):
            found += key_differences(want[key], got[key], f"{path}.{key}")
        return found
    if isinstance(want, list) and isinstance(got, list):
        return key_differences(want[0], got[0], path + "[]") if want and got else []
    if isinstance(want, dict) != isinstance(got, dict):
        return [f"{path or '.'}: an object on one side only"]
    return []


def listed_on_both_sides(recorded: Any, ours: Any) -> bool:
    """Whether both answers are lists with items (a bare list or `data`), so the items' keys
    were compared too."""

    def items(answer: Any) -> Any:
        return answer.get("data") if isinstance(answer, dict) else answer

    return all(isinstance(items(a), list) and items(a) for a in (recorded, ours))


def throttle_plan(exchanges: list[Exchange]) -> dict[int, int]:
    """Where the recorder's account was in the creation throttle (429 with no retry-after),
    how many creations to refuse, keyed by the position of the first refused one."""
    plan: dict[int, int] = {}
    start: int | None = None
    for position, exchange in enumerate(exchanges):
        refused = exchange.status == 429 and not exchange.retry_after
        previous = exchanges[position - 1] if position else None
        continues = (
            start is not None
            and previous is not None
            and previous.cassette == exchange.cassette
            and refused
        )
        if refused and not continues:
            start = position
            plan[start] = 0
        elif not refused:
            start = None
        if refused and start is not None:
            plan[start] += 1
    return plan


class Rewriter:
    """Turns the recorder's ids and names into the sandbox's: the demo account's values for
    the recorder's account, and each id the sandbox gave where the real API gave another."""

    def __init__(self, values: dict[str, str]) -> None:
        self.map = {recorded: values[placeholder] for recorded, placeholder in RECORDER.items()}

    def apply(self, text: str) -> str:
        for recorded in sorted(self.map, key=len, reverse=True):
            text = text.replace(recorded, self.map[recorded])
        return text

    def learn(self, recorded: Any, ours: Any) -> None:
        """Pairs the ids at the same place in both answers (outside lists, which hold
        different records on each side)."""
        if not (isinstance(recorded, dict) and isinstance(ours, dict)):
            return
        for key in recorded.keys() & ours.keys():
            mine, theirs = ours[key], recorded[key]
            if (key == "id" or key.endswith("_id")) and isinstance(theirs, str):
                if isinstance(mine, str) and theirs not in self.map and theirs != mine:
                    self.map[theirs] = mine
            else:
                self.learn(theirs, mine)


@dataclass
class Replayed:
    exchange: Exchange
    status: int
    differences: list[str]
    items_compared: bool

    @property
    def matches(self) -> bool:
        return self.status == self.exchange.status and not self.differences


def demo_values(api: httpx.Client) -> dict[str, str]:
    """The demo account's stand-ins for the recorder's: its verified, paused domain, an
    address on it with a sender identity, and its first template."""
    domains = api.get("domains").json()["data"]
    paused = next(d for d in domains if d["is_verified"] and d["domain_settings"]["send_paused"])
    identities = api.get("identities", params={"domain_id": paused["id"]}).json()["data"]
    template = api.get("templates").json()["data"][0]
    return {
        "{domain}": paused["id"],
        "{domain_name}": paused["name"],
        "{sender}": identities[0]["email"],
        "{template}": template["id"],
    }


def replay(api: httpx.Client, admin: httpx.Client, exchanges: list[Exchange]) -> list[Replayed]:
    """Every exchange in recorded order on one account, the throttle set where it was on."""
    rewriter = Rewriter(demo_values(api))
    throttles = throttle_plan(exchanges)
    results: list[Replayed] = []
    for position, exchange in enumerate(exchanges):
        if position in throttles:
            admin.put("/_sandbox/mailersend", json={"create_throttle": throttles[position]})
        body = None if exchange.body is None else rewriter.apply(exchange.body)
        response = _send(api, exchange.method, rewriter.apply(exchange.target), body)
        ours = _decode(response.content)
        rewriter.learn(exchange.answer, ours)
        want, got = key_tree(exchange.answer), key_tree(ours)
        results.append(
            Replayed(
                exchange=exchange,
                status=response.status_code,
                differences=key_differences(want, got),
                items_compared=listed_on_both_sides(exchange.answer, ours),
            )
        )
    return results


def _send(api: httpx.Client, method: str, target: str, body: str | None) -> httpx.Response:
    """One request; a 429 of the per-minute window (the recorder's account had no such
    limit) is waited out and sent again. The creation throttle's 429 has no retry-after."""
    while True:
        response = api.request(
            method, target, content=body, headers={"content-type": "application/json"}
        )
        wait = response.headers.get("retry-after")
        if response.status_code != 429 or wait is None:
            return response
        time.sleep(int(wait) + 0.1)


def mismatches(results: Iterable[Replayed]) -> list[str]:
    return [
        f"{r.exchange.name} {r.exchange.method} /v1/{r.exchange.target}: status "
        f"{r.status} (recorded {r.exchange.status}) {'; '.join(r.differences)}"
        for r in results
        if not r.matches
    ]
