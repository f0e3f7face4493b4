"""The engine keeps no cookies between calls: auth is per request, by header."""

from __future__ import annotations

import httpx

from mcexplorer.core.http.request import ApiRequest
from tests.engine.conftest import make_engine


async def test_a_set_cookie_is_not_sent_back() -> None:
    seen: list[str | None] = []

    def server(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers.get("cookie"))
        return httpx.Response(200, headers={"set-cookie": "_AVESTA_ENVIRONMENT=prod; path=/"})

    engine = make_engine(server)
    await engine.send(ApiRequest(path="/ping"))
    await engine.send(ApiRequest(path="/ping"))
    assert seen == [None, None]
