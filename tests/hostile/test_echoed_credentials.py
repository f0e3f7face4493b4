"""A server that echoes what it was sent, credentials included: nothing of the secret, in any
form it took on the wire, reaches the history file or a support bundle."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from mcexplorer.core.accounts.keys import Credentials
from mcexplorer.core.accounts.target import Target
from mcexplorer.core.history.bundle import render_bundle
from mcexplorer.core.history.store import HistoryStore, Retention
from mcexplorer.core.http.request import ApiRequest
from mcexplorer.core.session.session import Session
from tests.hostile.server import KEY, Answer, HostileServer, Received, http

OAUTH = "5c6ccc561059aa386da9d112215bae55"  # opaque: nothing about it looks like a key


def echo(received: Received) -> Answer:
    auth = received.header_values("authorization")[0]
    body = json.dumps({"title": "Echo", "detail": f"you sent {auth}", "status": 400})
    return http("400 Bad Request", body.encode(), f"X-Echo: {auth}\r\n")


def forms(credentials: Credentials) -> list[str]:
    found = [credentials.secret]
    if credentials.kind.value == "api_key":
        found.append(base64.b64encode(f"mcexplorer:{credentials.secret}".encode()).decode())
    return found


@pytest.mark.parametrize(
    "credentials", [Credentials.api_key(KEY), Credentials.oauth(OAUTH, "us6")], ids=str
)
async def test_an_echoed_secret_is_scrubbed_from_history_and_bundles(
    credentials: Credentials, tmp_path: Path
) -> None:
    store = HistoryStore(tmp_path / "h.sqlite3", retention=Retention())
    with HostileServer(echo).running() as server:
        target = Target(credentials, server.base_url(), "hostile")
        async with Session(target, store=store) as session:
            outcome = await session.send(ApiRequest(path="/ping"))
    assert any(secret in outcome.body.decode() for secret in forms(credentials))  # it did echo
    raw = (tmp_path / "h.sqlite3").read_bytes()
    wal = tmp_path / "h.sqlite3-wal"
    raw += wal.read_bytes() if wal.exists() else b""
    [entry] = store.list()
    bundle = render_bundle(entry)
    for secret in forms(credentials):
        assert secret.encode() not in raw
        assert secret not in bundle
    assert "[redacted]" in entry.outcome.body.decode()
    assert entry.outcome.headers["x-echo"].endswith("[redacted]")
