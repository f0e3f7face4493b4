"""`mcexplorer sandbox serve --provider mailersend`, and verifying a token against it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import httpx
import pytest

from mcexplorer.cli import main
from mcexplorer.core.accounts.keys import Credentials
from mcexplorer.core.accounts.verify import VerifyError, verify_credentials
from mcexplorer.sandbox.faults import FaultConfigError
from mcexplorer.sandbox.server import SandboxServer
from tests.interrupts import sigint_as_at_a_terminal
from tests.mailersend.conftest import MailerSend


async def test_verifying_a_token_reads_the_quota_without_using_it(ms: MailerSend) -> None:
    info = await verify_credentials(Credentials.mailersend(ms.token), ms.server.api_url)
    assert info.summary == "MailerSend token accepted (quota 100/100)"
    with pytest.raises(VerifyError, match="401"):
        await verify_credentials(Credentials.mailersend("mlsn." + "1" * 64), ms.server.api_url)


def test_cli_refuses_an_unknown_plan(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["sandbox", "serve", "--provider", "mailersend", "--plan", "gold", "--port", "0"])
    assert exited.value.code == 2
    assert "gold" in capsys.readouterr().err


def test_cli_refuses_a_plan_for_the_mailchimp_sandbox(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sandbox", "serve", "--plan", "free", "--port", "0"]) == 2
    assert "mailersend" in capsys.readouterr().err


def test_cli_serves_mailersend_with_the_chosen_plan() -> None:
    command = [sys.executable, "-m", "mcexplorer", "sandbox", "serve", "--port", "0"]
    proc = subprocess.Popen(
        [*command, "--provider", "mailersend", "--plan", "starter"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        preexec_fn=sigint_as_at_a_terminal,
    )
    try:
        assert proc.stdout is not None
        api_url = proc.stdout.readline().split()[-1]
        token = proc.stdout.readline().split()[-1]
        assert api_url.endswith("/v1/") and token.startswith("mlsn.")
        quota = httpx.get(api_url + "api-quota", headers={"Authorization": f"Bearer {token}"})
        assert quota.status_code == 200 and quota.json()["quota"] == 100_000
    finally:
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=10) == 0


def test_server_contract_for_mailersend(ms: MailerSend) -> None:
    server = ms.server
    assert server.api_url == server.url + "/v1/"
    assert server.viewer_key == ms.read_only_token
    with pytest.raises(ValueError, match="OAuth"):
        _ = server.demo_oauth_token
    with pytest.raises(FaultConfigError, match="Mailchimp"):
        SandboxServer(provider="mailersend", faults="flaky")
    with pytest.raises(ValueError, match="mailgun"):
        SandboxServer(provider="mailgun")
