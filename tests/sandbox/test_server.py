"""SandboxServer safety and the `mcexplorer sandbox serve` command."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import httpx
import pytest

from mcexplorer.cli import main
from mcexplorer.sandbox.seed import build_store
from mcexplorer.sandbox.server import RemoteBindRefused, SandboxServer
from tests.interrupts import sigint_as_at_a_terminal


def test_non_loopback_host_is_refused_without_allow_remote() -> None:
    with pytest.raises(RemoteBindRefused, match="allow_remote"):
        SandboxServer(host="0.0.0.0")


def test_contract_addresses() -> None:
    with SandboxServer(dc="us19") as server:
        assert server.url.startswith("http://127.0.0.1:")
        assert server.api_url == server.url + "/3.0/"
        assert server.demo_key.endswith("-us19")
        response = httpx.get(server.api_url, auth=("u", server.demo_key))
        assert response.status_code == 200


def test_a_prebuilt_store_is_served_as_it_is_and_must_come_from_the_same_seed() -> None:
    store = build_store(0, "us6")
    store.account["account_name"] = "Built beforehand"
    with SandboxServer(store=store) as server:
        root = httpx.get(server.api_url, auth=("u", server.demo_key)).json()
        assert root["account_name"] == "Built beforehand" and server.demo_key == store.demo_key
    with pytest.raises(ValueError, match="another seed"):
        SandboxServer(seed=1, store=store)
    with pytest.raises(ValueError, match="Mailchimp"):
        SandboxServer(provider="mailersend", store=store)


def test_cli_refuses_remote_host(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sandbox", "serve", "--host", "0.0.0.0", "--port", "0"]) == 2
    assert "loopback" in capsys.readouterr().err


def test_cli_serves_until_interrupted() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "mcexplorer", "sandbox", "serve", "--port", "0", "--seed", "4"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        preexec_fn=sigint_as_at_a_terminal,
    )
    try:
        assert proc.stdout is not None
        api_line = proc.stdout.readline()
        key_line = proc.stdout.readline()
        api_url = api_line.split()[-1]
        key = key_line.split()[-1]
        response = httpx.get(api_url + "ping", auth=("u", key))
        assert response.status_code == 200
    finally:
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=10) == 0
