"""Admin routes, write counting, and runs that repeat exactly under a seed."""

from __future__ import annotations

import httpx
import pytest

from mcexplorer.sandbox.faults import FaultConfig
from mcexplorer.sandbox.server import SandboxServer


def test_stats_count_writes_and_repeats(api: httpx.Client, admin: httpx.Client) -> None:
    admin.post("/_sandbox/reset", json={}).raise_for_status()
    for name in ("A", "A", "B"):
        assert api.patch("campaign-folders/f9", json={"name": name}).status_code == 200
    api.get("ping")
    stats = admin.get("/_sandbox/stats").json()
    assert stats["requests"] == 4
    assert (stats["writes_applied"], stats["writes_repeated"]) == (3, 1)
    assert stats["in_flight"] == 0 and stats["peak_in_flight"] == 1
    assert stats["throttled_429"] == 0 and stats["faults"] == {}


def test_reset_zeroes_stats_and_restores_state(api: httpx.Client, admin: httpx.Client) -> None:
    created = api.post(
        "lists",
        json={
            "name": "Reset me",
            "permission_reminder": "You signed up.",
            "email_type_option": False,
            "contact": {
                "company": "Demo",
                "address1": "1 St",
                "city": "Town",
                "state": "ST",
                "zip": "00000",
                "country": "US",
            },
            "campaign_defaults": {
                "from_name": "Demo",
                "from_email": "demo@larkspurmail.com",
                "subject": "Hi",
                "language": "en",
            },
        },
    )
    assert created.status_code == 200, created.text
    list_id = created.json()["id"]
    assert api.get(f"lists/{list_id}").status_code == 200
    admin.post("/_sandbox/reset", json={}).raise_for_status()
    assert api.get(f"lists/{list_id}").status_code == 404
    assert admin.get("/_sandbox/stats").json()["writes_applied"] == 0


def _run(seed: int) -> list[tuple[int, str]]:
    """(status, X-Request-Id) of 40 requests; a reset connection is (0, "")."""
    config = FaultConfig.profile("flaky")
    config.latency_ms = 0
    with (
        SandboxServer(seed=seed, faults=config) as server,
        httpx.Client(base_url=server.api_url, auth=("u", server.demo_key)) as client,
    ):
        seen = []
        for i in range(40):
            try:
                response = client.get("ping" if i % 2 else "campaign-folders")
                seen.append((response.status_code, response.headers.get("x-request-id", "")))
            except httpx.TransportError:
                seen.append((0, ""))
        return seen


def test_same_seed_same_faults_but_fresh_request_ids() -> None:
    first, second = _run(11), _run(11)
    assert [s for s, _ in first] == [s for s, _ in second]
    assert any(status >= 500 for status, _ in first), "flaky must inject some faults in 40"
    assert [s for s, _ in _run(12)] != [s for s, _ in first]
    ids = [i for _, i in first + second if i]
    assert len(ids) >= 70 and len(set(ids)) == len(ids)


@pytest.mark.parametrize("provider", ["mailchimp", "mailersend"])
def test_admin_refuses_other_origins(provider: str) -> None:
    with SandboxServer(provider=provider) as server:
        reset = server.url + "/_sandbox/reset"
        # What a web page's form can send: no JSON content type.
        form = httpx.post(reset, data={"x": "1"})
        assert form.status_code == 415
        assert "application/json" in form.json()["error"]
        assert httpx.post(reset, content=b"{}").status_code == 415
        # A rebound DNS name reaches the socket with a foreign Host.
        rebound = httpx.post(reset, json={}, headers={"Host": f"evil.example:{server.port}"})
        assert rebound.status_code == 403
        other_port = httpx.get(
            server.url + "/_sandbox/stats", headers={"Host": f"127.0.0.1:{server.port + 1}"}
        )
        assert other_port.status_code == 403
        assert httpx.post(reset, json={}).status_code == 200
        by_name = httpx.get(
            server.url + "/_sandbox/stats", headers={"Host": f"localhost:{server.port}"}
        )
        assert by_name.status_code == 200
