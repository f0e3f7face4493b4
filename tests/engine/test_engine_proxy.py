"""Behind a proxy named by the environment the engine hands requests to httpx's transport."""

from __future__ import annotations

import pytest

from mcexplorer.core.http.engine import Engine, environment_proxy
from mcexplorer.core.http.request import ApiRequest, RequestInvalid
from mcexplorer.core.http.retry import Failure, decide
from mcexplorer.core.http.transport import HttpxExchange, LeanTransport


def test_no_proxy_means_the_lean_transport(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(var, raising=False)
    engine = Engine("https://us6.api.mailchimp.com/3.0/", None)
    assert environment_proxy(engine.base_url) is None
    assert isinstance(engine._wire, LeanTransport)


def test_https_proxy_is_honoured_and_no_proxy_exempts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("https_proxy", "http://proxy.internal:3128")
    monkeypatch.setenv("no_proxy", "us7.api.mailchimp.com")
    assert environment_proxy("https://us6.api.mailchimp.com/3.0/") == "http://proxy.internal:3128"
    assert environment_proxy("https://us7.api.mailchimp.com/3.0/") is None
    engine = Engine("https://us6.api.mailchimp.com/3.0/", None)
    assert isinstance(engine._wire, HttpxExchange)


async def test_a_non_ascii_header_is_refused_before_anything_is_sent() -> None:
    async with Engine("http://127.0.0.1:9/3.0/", None) as engine:
        with pytest.raises(RequestInvalid, match="non-ASCII"):
            await engine.send(ApiRequest(headers={"X-Note": "café"}))
        assert engine.snapshot().peak == 0


def test_a_local_failure_is_never_retried() -> None:
    verdict = decide("GET", status=None, failure=Failure.LOCAL, sent=False)
    assert not verdict.retry and "local error" in verdict.reason
