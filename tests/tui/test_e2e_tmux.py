"""End to end in a real terminal: tmux runs `python -m mcexplorer --sandbox`, keys go in,
and the screen is read back with capture-pane."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.tmux

if shutil.which("tmux") is None and os.environ.get("CI") != "true":
    pytest.skip("tmux is not installed", allow_module_level=True)

WIDTH, HEIGHT = 120, 40
WAIT_S = 30.0


class Terminal:
    def __init__(self, socket: str) -> None:
        self.socket = socket

    def tmux(self, *args: str) -> str:
        # COLUMNS/LINES (set by some runners) would override the pane's real size.
        env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
        out = subprocess.run(
            ["tmux", "-L", self.socket, *args], capture_output=True, text=True, check=True, env=env
        )
        return out.stdout

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", "e2e")

    def keys(self, *keys: str) -> None:
        self.tmux("send-keys", "-t", "e2e", *keys)

    def wait_for(self, check: Callable[[str], bool], what: str) -> str:
        """Poll the pane until `check` holds (this is a wait, not a timing assertion)."""
        deadline = time.monotonic() + WAIT_S
        while True:
            text = self.screen()
            if check(text):
                return text
            if time.monotonic() > deadline:
                raise AssertionError(f"never saw {what}; the screen was:\n{text}")
            time.sleep(0.1)


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    # A private tmux server, started with this test's isolated environment.
    term = Terminal(f"mcx-e2e-{os.getpid()}")
    command = f"{sys.executable} -m mcexplorer --sandbox"
    term.tmux(
        "-f",
        "/dev/null",
        "new-session",
        "-d",
        "-s",
        "e2e",
        "-x",
        str(WIDTH),
        "-y",
        str(HEIGHT),
        command,
    )
    try:
        yield term
    finally:
        subprocess.run(["tmux", "-L", term.socket, "kill-server"], capture_output=True)


def test_browse_to_lists_and_send(terminal: Terminal) -> None:
    # The pane may start at 80x24 and be resized: wait for the full-width header.
    screen = terminal.wait_for(
        lambda s: "Everything's Chimpy" in s and "-us6" in s, "the header after the ping"
    )
    assert "sandbox …" in screen
    lines = screen.splitlines()
    root = next(i for i, line in enumerate(lines) if "Larkspur Demo Co" in line and "▼" in line)
    lists = next(i for i, line in enumerate(lines) if "▶ lists " in line)
    terminal.keys(*["Down"] * (lists - root), "Enter")
    # Enter selects (the composer gets /lists) and opens the node (audiences load).
    screen = terminal.wait_for(lambda s: "create  POST" in s, "the lists node opened")
    terminal.keys("C-s")
    # The status line shows first; the body follows once formatted off the UI thread.
    screen = terminal.wait_for(lambda s: '"lists": [' in s, "the response body")
    assert "200  GET /3.0/lists" in screen
    terminal.keys("C-q")
    terminal.wait_for(lambda s: "Everything's Chimpy" not in s, "the app to quit")
