"""Auth on /3.0: Basic, Bearer and OAuth; missing, unknown, wrong-datacenter and viewer keys."""

from __future__ import annotations

import httpx

from mcexplorer.sandbox.server import SandboxServer


def _get(sandbox: SandboxServer, headers: dict[str, str], path: str = "ping") -> httpx.Response:
    return httpx.get(sandbox.api_url + path, headers=headers)


def test_basic_auth_with_any_user(sandbox: SandboxServer) -> None:
    response = httpx.get(sandbox.api_url + "ping", auth=("whoever", sandbox.demo_key))
    assert response.status_code == 200
    assert response.json() == {"health_status": "Everything's Chimpy!"}


def test_bearer_key_and_oauth_token(sandbox: SandboxServer) -> None:
    for header in (
        f"Bearer {sandbox.demo_key}",
        f"Bearer {sandbox.demo_oauth_token}",
        f"OAuth {sandbox.demo_oauth_token}",
    ):
        assert _get(sandbox, {"Authorization": header}).status_code == 200


def test_no_credentials_is_key_missing(sandbox: SandboxServer) -> None:
    response = _get(sandbox, {})
    assert response.status_code == 401
    assert response.json()["title"] == "API Key Missing"


def test_unknown_key_is_invalid(sandbox: SandboxServer) -> None:
    for secret in ("0" * 32 + "-us6", "not-a-key", "mlsn.abc"):
        response = _get(sandbox, {"Authorization": f"Bearer {secret}"})
        assert response.status_code == 401
        assert response.json()["title"] == "API Key Invalid"
        assert secret not in response.text


def test_undecodable_basic_credentials(sandbox: SandboxServer) -> None:
    response = _get(sandbox, {"Authorization": "Basic %%%"})
    assert (response.status_code, response.json()["title"]) == (401, "API Key Invalid")


def test_demo_key_sent_to_another_datacenter(sandbox: SandboxServer) -> None:
    key = sandbox.demo_key.rsplit("-", 1)[0] + "-us19"
    response = _get(sandbox, {"Authorization": f"Bearer {key}"})
    assert response.status_code == 403
    body = response.json()
    assert body["title"] == "Wrong Datacenter"
    assert "us19" in body["detail"] and "us6" in body["detail"]


def test_viewer_key_reads_but_cannot_write(sandbox: SandboxServer) -> None:
    auth = ("any", sandbox.viewer_key)
    assert httpx.get(sandbox.api_url + "ping", auth=auth).status_code == 200
    response = httpx.post(sandbox.api_url + "lists", auth=auth, json={})
    assert response.status_code == 403
    assert response.json()["title"] == "Forbidden"
