"""Switching a sandbox's fault profile at run time, against a real sandbox on loopback."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from mcexplorer.core.session.sandbox_admin import (
    SandboxAdminError,
    faults_url,
    set_fault_profile,
)
from mcexplorer.sandbox.faults import PROFILES
from mcexplorer.sandbox.server import SandboxServer
from mcexplorer.tui.palette import SANDBOX_FAULT_PROFILES


@pytest.fixture
def server() -> Iterator[SandboxServer]:
    with SandboxServer(seed=0) as running:
        yield running


async def test_a_profile_is_switched_and_then_applies(server: SandboxServer) -> None:
    await set_fault_profile(server.api_url, "outage")
    faults = httpx.get(server.url + "/_sandbox/faults").json()
    assert faults["rates"]["503"] == 0.5
    answer = httpx.get(server.api_url + "ping", auth=("any", server.demo_key))
    assert answer.status_code == 503
    await set_fault_profile(server.api_url, "none")
    assert httpx.get(server.api_url + "ping", auth=("any", server.demo_key)).status_code == 200


async def test_an_unknown_profile_is_refused_with_the_sandboxs_words(
    server: SandboxServer,
) -> None:
    with pytest.raises(SandboxAdminError, match="unknown fault profile 'bogus'"):
        await set_fault_profile(server.api_url, "bogus")


@pytest.mark.parametrize(
    "url",
    ["https://us6.api.mailchimp.com/3.0/", "https://127.0.0.1:8765/3.0/", "http://10.0.0.5/3.0/"],
)
def test_only_a_plain_http_loopback_sandbox_is_asked(url: str) -> None:
    with pytest.raises(SandboxAdminError, match="not a sandbox on this machine"):
        faults_url(url)


async def test_a_sandbox_that_is_gone_is_named() -> None:
    with SandboxServer(seed=0) as running:
        api_url = running.api_url
    with pytest.raises(SandboxAdminError, match="did not answer"):
        await set_fault_profile(api_url, "none")


def test_the_palette_offers_every_profile_the_sandbox_has() -> None:
    assert list(SANDBOX_FAULT_PROFILES) == list(PROFILES)
