"""Every fault kind as a client sees it over a real socket, switched at run time."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from mcexplorer.sandbox.server import SandboxServer

# A catalog write without a stateful handler: its writes are easy to count.
WRITE = "campaign-folders/f1"
FOLDER = {"name": "Spring"}


def _faults(admin: httpx.Client, **config: Any) -> None:
    admin.put("/_sandbox/faults", json=config).raise_for_status()


def _stats(admin: httpx.Client) -> dict[str, Any]:
    return dict(admin.get("/_sandbox/stats").json())


def test_503_is_decided_before_processing(api: httpx.Client, admin: httpx.Client) -> None:
    _faults(admin, rates={"503": 1.0})
    before = _stats(admin)["writes_applied"]
    response = api.patch(WRITE, json=FOLDER)
    assert response.status_code == 503
    assert response.json()["title"] == "Service Unavailable"
    assert "retry-after" not in response.headers
    assert _stats(admin)["writes_applied"] == before


def test_503_with_retry_after(api: httpx.Client, admin: httpx.Client) -> None:
    _faults(admin, rates={"503-retry-after": 1.0}, retry_after_s=2)
    response = api.get("ping")
    assert (response.status_code, response.headers["retry-after"]) == (503, "2")


@pytest.mark.parametrize(
    ("kind", "title"),
    [("500", "Internal Server Error"), ("502", "Bad Gateway"), ("504", "Gateway Timeout")],
)
def test_ambiguous_5xx_sometimes_applied(
    api: httpx.Client, admin: httpx.Client, kind: str, title: str
) -> None:
    _faults(admin, rates={kind: 1.0})
    before = _stats(admin)
    for _ in range(20):
        response = api.patch(WRITE, json=FOLDER)
        assert response.status_code == int(kind)
        assert response.json()["title"] == title
    after = _stats(admin)
    applied = after["writes_applied"] - before["writes_applied"]
    assert 0 < applied < 20, "the outcome must be ambiguous: some applied, some not"
    assert after["faults"][kind] - before["faults"].get(kind, 0) == 20


def test_reset_is_a_protocol_error_for_the_client(api: httpx.Client, admin: httpx.Client) -> None:
    _faults(admin, rates={"reset": 1.0})
    before = _stats(admin)["writes_applied"]
    errors = []
    for _ in range(12):
        with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)) as caught:
            api.patch(WRITE, json=FOLDER)
        errors.append(str(caught.value))
    applied = _stats(admin)["writes_applied"] - before
    assert 0 < applied < 12
    # applied ones were cut mid-body; the others got nothing at all
    assert any("incomplete" in e or "peer closed" in e for e in errors)
    assert any("without sending" in e for e in errors)
    _faults(admin)
    assert api.get("ping").status_code == 200


def test_firewall_on_demand_is_html(api: httpx.Client, admin: httpx.Client) -> None:
    _faults(admin, firewall=True)
    response = api.get("ping")
    assert response.status_code == 403
    assert response.headers["content-type"].startswith("text/html")
    assert "Access Denied" in response.text
    assert "Reference #" in response.text
    with pytest.raises(ValueError):
        response.json()


def test_firewall_after_a_burst_of_404s(api: httpx.Client, admin: httpx.Client) -> None:
    _faults(admin, firewall_after_404s=3)
    assert [api.get("lists/missing-list").status_code for _ in range(3)] == [404] * 3
    blocked = api.get("ping")
    assert blocked.status_code == 403 and "Access Denied" in blocked.text
    _faults(admin, firewall_after_404s=3)  # changing the faults lifts the block
    assert api.get("ping").status_code == 200


def test_404s_not_in_a_row_do_not_trip_the_firewall(api: httpx.Client, admin: httpx.Client) -> None:
    _faults(admin, firewall_after_404s=2)
    for _ in range(3):
        assert api.get("lists/missing-list").status_code == 404
        assert api.get("ping").status_code == 200


def test_cdn_502_is_html(api: httpx.Client, admin: httpx.Client) -> None:
    _faults(admin, profile="cdn", rates={"cdn-502": 1.0}, latency_ms=0)
    response = api.get("ping")
    assert response.status_code == 502
    assert response.headers["content-type"].startswith("text/html")
    assert "502 Bad Gateway" in response.text


def test_plain_http_refused_when_tls_is_required(api: httpx.Client, admin: httpx.Client) -> None:
    _faults(admin, profile="tls")
    response = api.get("ping")
    assert response.status_code == 426
    assert "HTTPS" in response.json()["detail"]


def test_timeout_answers_504_at_the_limit(api: httpx.Client, admin: httpx.Client) -> None:
    _faults(admin, latency_ms=5000, timeout_s=0.2)
    response = api.get("ping")
    assert response.status_code == 504
    assert response.json()["title"] == "Gateway Timeout"
    assert _stats(admin)["faults"]["timeout"] >= 1


def test_bad_fault_config_is_rejected_with_the_cause(admin: httpx.Client) -> None:
    for config, needle in [
        ({"rates": {"418": 0.5}}, "unknown fault kind"),
        ({"profile": "storm"}, "unknown fault profile"),
        ({"latency": 5}, "unknown field"),
        ({"rates": {"500": 0.8, "503": 0.8}}, "more than 1"),
    ]:
        response = admin.put("/_sandbox/faults", json=config)
        assert response.status_code == 400
        assert needle in response.json()["error"]
    bad_json = admin.put(
        "/_sandbox/faults", content=b"{oops", headers={"Content-Type": "application/json"}
    )
    assert bad_json.status_code == 400


def test_faults_round_trip_through_admin(admin: httpx.Client) -> None:
    _faults(admin, profile="realistic")
    config = admin.get("/_sandbox/faults").json()
    assert config["latency_ms"] == 120 and config["rates"]["503"] > 0
    _faults(admin, profile="none")
    assert admin.get("/_sandbox/faults").json()["rates"] == {}


def test_faults_chosen_at_start() -> None:
    with SandboxServer(faults="tls") as server:
        response = httpx.get(server.api_url + "ping", auth=("u", server.demo_key))
    assert response.status_code == 426
