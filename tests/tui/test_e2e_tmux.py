"""End to end in a real terminal: tmux runs `python -m mcexplorer --sandbox`, keys go in,
and the screen is read back with capture-pane."""

from __future__ import annotations

import os
import shutil
import signal
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


def _line_of(screen: str, text: str, after: int = 0) -> int:
    """The first line at or after `after` whose sidebar part (left of its edge) holds `text`;
    the composer's documentation on the right may name the same words."""
    lines = [line.split("▕")[0] for line in screen.splitlines()]
    return next(i for i, line in enumerate(lines) if i >= after and text in line)


def _descendants(pid: int) -> set[int]:
    """Every process below `pid`, from /proc (no `ps` needed on a slim CI image)."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # gone meanwhile
        parents[int(stat.parent.name)] = int(fields[1])
    found: set[int] = set()
    todo = [pid]
    while todo:
        parent = todo.pop()
        children = {child for child, ppid in parents.items() if ppid == parent}
        found |= children
        todo.extend(children)
    return found


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_first_journey_lists_audience_members_then_quit_leaves_nothing(
    terminal: Terminal,
) -> None:
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
    # On into the first audience, then its members (the cursor is still on "lists").
    screen = terminal.wait_for(lambda s: "Weekly Readers" in s, "the audiences")
    at = _line_of(screen, "▼ lists")
    terminal.keys(*["Down"] * (_line_of(screen, "Weekly Readers", at) - at), "Enter")
    screen = terminal.wait_for(lambda s: "merge-fields" in s, "the audience opened")
    at = _line_of(screen, "Weekly Readers")
    terminal.keys(*["Down"] * (_line_of(screen, " members", at) - at), "Enter")
    screen = terminal.wait_for(lambda s: "jonas.elms" in s, "the first members")
    assert "more… (10 of" in screen
    # Quitting stops the app and the sandbox it started: nothing is left running.
    started = _app_processes(terminal)
    terminal.keys("C-q")
    _all_gone(started)  # the app, its sandbox child (and so the pane) are gone


def test_an_interrupt_signal_leaves_nothing_behind(terminal: Terminal) -> None:
    terminal.wait_for(lambda s: "Everything's Chimpy" in s, "the header after the ping")
    started = _app_processes(terminal)
    os.kill(_pane_pid(terminal), signal.SIGINT)  # the app, as `kill -INT` does
    _all_gone(started)


def _pane_pid(terminal: Terminal) -> int:
    return int(terminal.tmux("display-message", "-p", "-t", "e2e", "#{pane_pid}"))


def _app_processes(terminal: Terminal) -> set[int]:
    app_pid = _pane_pid(terminal)
    started = _descendants(app_pid) | {app_pid}
    assert len(started) >= 2  # the app and its sandbox child
    return started


def _all_gone(pids: set[int]) -> None:
    deadline = time.monotonic() + WAIT_S
    while any(_alive(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [pid for pid in pids if _alive(pid)]
