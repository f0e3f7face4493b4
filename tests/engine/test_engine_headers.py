"""What the engine puts in the request head: its defaults, the request's own, then auth."""

from __future__ import annotations

import httpx

from mcexplorer.core.accounts.keys import Credentials
from mcexplorer.core.http.engine import Engine
from mcexplorer.core.http.request import ApiRequest
from tests.engine.conftest import BASE


async def test_request_headers_replace_defaults_in_any_case_and_auth_comes_last() -> None:
    seen: list[httpx.Headers] = []

    def server(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers)
        return httpx.Response(200, json={})

    key = "0123456789abcdef0123456789abcdef-us6"
    engine = Engine(BASE, Credentials.api_key(key), transport=httpx.MockTransport(server))
    await engine.send(ApiRequest("PUT", "/ping", headers={"accept": "text/html"}, body={"a": 1}))
    await engine.aclose()
    headers = seen[0]
    assert headers.get_list("accept") == ["text/html"]
    assert headers["content-type"] == "application/json"
    assert headers["authorization"].startswith("Basic ")
    assert headers["user-agent"].startswith("mcexplorer/")
