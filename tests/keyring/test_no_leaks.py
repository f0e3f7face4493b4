"""A scripted CLI session in subprocesses must leave the key nowhere but the keyring.

Each step runs `python -m mcexplorer ...` with isolated XDG dirs and a file-backed test keyring
(the one file allowed to hold the key). Afterwards every other file under the isolated dirs and
all captured output are searched for the key, its hex part and its Basic-auth encoding.
To cover a new command, append a step to `steps()`; steps whose command module does not exist
yet are skipped.
"""

from __future__ import annotations

import base64
import importlib.util
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from mcexplorer.core.collections.format import SavedRequest, dumps_request
from mcexplorer.core.http.request import ApiRequest
from mcexplorer.sandbox.server import SandboxServer

REPO = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Step:
    argv: list[str]
    stdin: str = ""
    expect: int = 0

    @property
    def module(self) -> str:
        return self.argv[0]


def steps(server: SandboxServer, work: Path) -> list[Step]:
    key = server.demo_key
    request_file = work / "lists.request.json"
    request_file.write_text(dumps_request(SavedRequest(ApiRequest("GET", "/lists"))))
    target = ["--profile", "leak", "--base-url", server.api_url]
    return [
        Step(["keys", "add", "leak", "--stdin", "--verify", "--base-url", server.api_url], key),
        Step(["keys", "add", "spare", "--stdin"], key + "\n"),
        Step(["keys", "add", "broken", "--stdin"], key + " trailing", expect=2),
        Step(["keys", "add", "broken", "--stdin"], key.upper(), expect=2),
        Step(["keys", "list"]),
        Step(["keys", "show", "leak"]),
        Step(["keys", "show", "leak", "--json"]),
        Step(["keys", "rename", "spare", "extra"]),
        Step(["keys", "default", "extra"]),
        Step(["keys", "remove", "extra"]),
        Step(["run", str(request_file), *target]),
        Step(["run", str(request_file), "--key-env", "LEAK_KEY", "--base-url", server.api_url]),
    ]


def forms_of(secret: str) -> list[str]:
    head = secret.rpartition("-")[0]
    basic = base64.b64encode(f"mcexplorer:{secret}".encode()).decode()
    return [secret, head, basic, secret.upper()]


@pytest.fixture
def server() -> Iterator[SandboxServer]:
    with SandboxServer() as running:
        yield running


def test_the_key_appears_in_no_file_and_no_output(tmp_path: Path, server: SandboxServer) -> None:
    xdg = tmp_path / "cli"
    keyring_file = tmp_path / "test-keyring.json"
    work = xdg / "work"
    work.mkdir(parents=True)
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(xdg / "home"),
        "XDG_CONFIG_HOME": str(xdg / "config"),
        "XDG_DATA_HOME": str(xdg / "data"),
        "XDG_CACHE_HOME": str(xdg / "cache"),
        "XDG_STATE_HOME": str(xdg / "state"),
        "PYTHONPATH": str(REPO),
        "PYTHON_KEYRING_BACKEND": "tests.memory_keyring.FileKeyring",
        "MCEXPLORER_TEST_KEYRING": str(keyring_file),
        "LEAK_KEY": server.demo_key,
    }
    outputs: list[str] = []
    ran = 0
    for step in steps(server, work):
        if importlib.util.find_spec(f"mcexplorer.commands.{step.module}") is None:
            continue
        done = subprocess.run(
            [sys.executable, "-m", "mcexplorer", *step.argv],
            input=step.stdin,
            env=env,
            cwd=work,
            capture_output=True,
            text=True,
            timeout=60,
        )
        outputs += [done.stdout, done.stderr]
        assert done.returncode == step.expect, (step.argv, done.stdout, done.stderr)
        ran += 1
    assert ran >= 10
    assert server.demo_key in keyring_file.read_text()  # the keyring really was used

    written = {p: p.read_bytes().decode("utf-8", "replace") for p in xdg.rglob("*") if p.is_file()}
    assert any(p.name == "profiles.json" for p in written)
    for form in forms_of(server.demo_key):
        assert [str(p) for p, text in written.items() if form in text] == []
        assert [text for text in outputs if form in text] == []
