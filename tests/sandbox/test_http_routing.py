"""Routing against the catalog: 404, 405 with Allow, 414, JSON parse errors, method override."""

from __future__ import annotations

import httpx

from mcexplorer.sandbox.server import SandboxServer

PROBLEM = "application/problem+json; charset=utf-8"


def _problem(response: httpx.Response, status: int, title: str) -> dict[str, object]:
    assert response.status_code == status
    assert response.headers["content-type"] == PROBLEM
    body = response.json()
    assert body["title"] == title
    assert body["status"] == status
    assert body["instance"] == response.headers["x-request-id"]
    assert 'rel="describedBy"' in response.headers["link"]
    assert "ProblemDetailDocument.json" in response.headers["link"]
    return dict(body)


def test_unknown_path_is_not_found(api: httpx.Client) -> None:
    _problem(api.get("no-such-thing"), 404, "Resource Not Found")
    _problem(api.get("lists/abc/no-such-sub"), 404, "Resource Not Found")


def test_wrong_method_lists_allowed_ones(api: httpx.Client) -> None:
    response = api.delete("ping")
    _problem(response, 405, "Method Not Allowed")
    assert response.headers["allow"] == "GET"
    response = api.put("lists")
    _problem(response, 405, "Method Not Allowed")
    assert response.headers["allow"] == "GET, POST"


def test_too_deep(api: httpx.Client) -> None:
    _problem(api.get("a/b/c/d/e/f/g/h"), 414, "Resource Nesting Too Deep")
    deep = "ecommerce/stores/s/carts/c/lines/l/extra"
    _problem(api.get(deep), 414, "Resource Nesting Too Deep")
    _problem(api.get("ping/extra"), 414, "Resource Nesting Too Deep")


def test_malformed_json_body(api: httpx.Client) -> None:
    response = api.post("lists", content=b'{"name": ', headers={"Content-Type": "application/json"})
    _problem(response, 400, "JSON Parse Exception")


def test_method_override_only_on_post(api: httpx.Client) -> None:
    response = api.get("ping", headers={"X-HTTP-Method-Override": "DELETE"})
    body = _problem(response, 422, "Invalid Method Override")
    assert "GET" in str(body["detail"])
    # POST overridden to GET reaches the GET operation
    response = api.post("ping", headers={"X-HTTP-Method-Override": "GET"})
    assert response.status_code == 200
    assert response.json()["health_status"]
    # ... and the override is routed like any method: DELETE on ping is not allowed
    response = api.post("ping", headers={"X-HTTP-Method-Override": "delete"})
    _problem(response, 405, "Method Not Allowed")


def test_every_response_has_a_request_id(api: httpx.Client) -> None:
    ids = {api.get("ping").headers["x-request-id"] for _ in range(5)}
    assert len(ids) == 5


def test_admin_routes_do_not_need_auth(sandbox: SandboxServer) -> None:
    assert httpx.get(sandbox.url + "/_sandbox/stats").status_code == 200
    assert httpx.get(sandbox.url + "/elsewhere").status_code == 404


def test_api_root_without_its_slash_redirects(sandbox: SandboxServer) -> None:
    response = httpx.get(sandbox.url + "/3.0", follow_redirects=False)
    assert response.status_code == 301
    assert response.headers["location"] == sandbox.url + "/3.0/"
