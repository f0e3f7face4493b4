"""Proxies from the environment: loopback targets (the embedded sandbox among them) never go
through one, and an https target goes through a tunnel, so the proxy never sees the key."""

from __future__ import annotations

import base64
from collections.abc import Iterator

import pytest

from mcexplorer.cli import main
from mcexplorer.core.accounts.keys import Credentials
from mcexplorer.core.http.engine import Engine
from mcexplorer.core.http.request import ApiRequest
from mcexplorer.core.http.wire import ProxyConfigError, proxy_for
from tests.hostile.server import KEY, HostileServer, http

PROXY_VARS = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy")
MAILCHIMP = "https://us6.api.mailchimp.com/3.0/"


def set_proxy(monkeypatch: pytest.MonkeyPatch, url: str) -> None:
    for name in PROXY_VARS:
        monkeypatch.setenv(name, url)
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)


@pytest.fixture
def proxy(monkeypatch: pytest.MonkeyPatch) -> Iterator[HostileServer]:
    """A proxy that refuses everything and remembers every byte it was offered."""
    with HostileServer(lambda received: http("403 Forbidden", close=True)).running() as server:
        set_proxy(monkeypatch, f"http://127.0.0.1:{server.port}")
        yield server


def test_the_embedded_sandbox_is_reached_directly(
    proxy: HostileServer, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["send", "GET", "/ping", "--sandbox"]) == 0
    assert "→ 200" in capsys.readouterr().err
    assert proxy.received == [] and proxy.connections == 0


async def test_an_https_target_is_tunnelled_and_the_proxy_never_sees_the_key(
    proxy: HostileServer,
) -> None:
    async with Engine(MAILCHIMP, Credentials.api_key(KEY)) as engine:
        outcome = await engine.send(ApiRequest(path="/ping"))
    [connect] = proxy.received  # refused, so not retried
    assert connect.request_line == "CONNECT us6.api.mailchimp.com:443 HTTP/1.1"
    assert connect.header_values("authorization") == []
    basic = base64.b64encode(f"mcexplorer:{KEY}".encode())
    assert KEY.encode() not in connect.head and basic not in connect.head
    assert outcome.problem is not None and outcome.problem.title == "Proxy Refused"
    assert not [e for e in outcome.attempts if e.sent]  # the request itself never went out


def test_no_proxy_exempts_a_host_and_loopback_is_always_exempt(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    set_proxy(monkeypatch, "proxy.internal:3128")
    monkeypatch.setenv("no_proxy", "us7.api.mailchimp.com")
    assert proxy_for(MAILCHIMP) == "http://proxy.internal:3128"
    assert proxy_for("https://us7.api.mailchimp.com/3.0/") is None
    for url in ("http://127.0.0.1:8765/3.0/", "http://localhost:1/3.0/", "http://[::1]:2/3.0/"):
        assert proxy_for(url) is None


def test_a_proxy_this_client_cannot_speak_to_is_named_without_its_password(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    set_proxy(monkeypatch, "socks5://user:hunter22@proxy.internal:1080")
    with pytest.raises(ProxyConfigError):
        proxy_for(MAILCHIMP)
    monkeypatch.setenv("MCX_KEY", KEY)
    assert main(["send", "GET", "/ping", "--key-env", "MCX_KEY"]) == 2
    err = capsys.readouterr().err
    assert "socks5://…@proxy.internal:1080" in err and "hunter22" not in err
