"""`mcexplorer --sandbox --provider mailersend send ...` talks to the MailerSend sandbox."""

from __future__ import annotations

import json

import pytest

from mcexplorer.cli import main


def test_send_reaches_the_mailersend_sandbox(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["--sandbox", "--provider", "mailersend", "send", "GET", "/api-quota", "--json"])
    out = capsys.readouterr().out
    assert code == 0
    doc = json.loads(out)
    assert doc["outcome"]["url"].endswith("/v1/api-quota")
    assert doc["outcome"]["status"] == 200
