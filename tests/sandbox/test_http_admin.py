"""Admin routes, write counting, and runs that repeat exactly under a seed."""

from __future__ import annotations

import httpx

from mcexplorer.sandbox.faults import FaultConfig
from mcexplorer.sandbox.server import SandboxServer


def test_stats_count_writes_and_repeats(api: httpx.Client, admin: httpx.Client) -> None:
    admin.post("/_sandbox/reset").raise_for_status()
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
                "from_email": "demo@example.com",
                "subject": "Hi",
                "language": "en",
            },
        },
    )
    assert created.status_code == 200, created.text
    list_id = created.json()["id"]
    assert api.get(f"lists/{list_id}").status_code == 200
    admin.post("/_sandbox/reset").raise_for_status()
    assert api.get(f"lists/{list_id}").status_code == 404
    assert admin.get("/_sandbox/stats").json()["writes_applied"] == 0


def _run(seed: int) -> list[tuple[int, str]]:
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
                seen.append((0, "reset"))
        return seen


def test_same_seed_same_run() -> None:
    first, second = _run(11), _run(11)
    assert first == second
    assert any(status >= 500 for status, _ in first), "flaky must inject some faults in 40"
    assert _run(12) != first
