"""Time to first paint and to content under tmux: `mcexplorer --sandbox` against a minimal
Textual app, in one run.

Each run starts a fresh tmux server and polls capture-pane (every 5 ms) until the first
screen shows: the explorer's frame for mcexplorer, "minimal app ready" for the baseline.
For mcexplorer it goes on until the whole layout is there (the composer's rows and the
response's tabs are mounted just after the first frame) and until the resource map shows
the sandbox's content (its root's collections, which the sandbox child announces from its
seed before its HTTP server is up), reports those times too, how often the content came in
the very first frame, and how far apart the runs land (each against the minimal app's
run just before it). Runs alternate so background load hits both alike.
Budgets: first frame ≤ 2× the minimal app; map content ≤ 2× the minimal app.

Both start from compiled bytecode, as every start after the first does: pip compiled
Textual's at install, and mcexplorer's is compiled here first, since an editable install
leaves that to the first run and some machines (this one) set PYTHONDONTWRITEBYTECODE.

    python benchmarks/tui_first_paint.py [--runs 7]
"""

from __future__ import annotations

import argparse
import compileall
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

MINIMAL_APP = """
from textual.app import App
from textual.widgets import Footer, Static

class Minimal(App):
    def compose(self):
        yield Static("minimal app ready")
        yield Footer()

Minimal().run()
"""
POLL_S = 0.005
TIMEOUT_S = 30.0


FRAME = ("Operations", "^s Send")  # the sidebar tabs and the key hints
COMPLETE = ("X-Trigger-Error", "Headers")  # the composer's options and the response tabs
CONTENT = ("▶ lists", "▶ campaigns")  # the map's root, filled from the sandbox's GET /


def first_paint(command: str, markers: list[tuple[str, ...]], socket: str) -> list[float]:
    """Seconds until each marker set (all of its strings) is first on screen."""
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "TMUX")}

    def tmux(*args: str) -> str:
        command = ["tmux", "-L", socket, *args]
        done = subprocess.run(command, capture_output=True, text=True, env=env)
        return done.stdout or done.stderr

    seen: dict[int, float] = {}
    start = time.perf_counter()
    tmux("-f", "/dev/null", "new-session", "-d", "-s", "paint", "-x", "120", "-y", "40", command)
    try:
        while time.perf_counter() - start < TIMEOUT_S:
            screen = tmux("capture-pane", "-p", "-t", "paint")
            now = time.perf_counter() - start
            for n, marker in enumerate(markers):
                if n not in seen and all(m in screen for m in marker):
                    seen[n] = now
            if len(seen) == len(markers):
                return [seen[n] for n in range(len(markers))]
            time.sleep(POLL_S)
        raise SystemExit(f"no first paint of {command!r} within {TIMEOUT_S} s:\n{screen}")
    finally:
        subprocess.run(["tmux", "-L", socket, "kill-server"], capture_output=True, env=env)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    compileall.compile_dir(Path(__file__).resolve().parent.parent / "mcexplorer", quiet=1)
    with tempfile.TemporaryDirectory() as tmp:
        minimal = Path(tmp) / "minimal.py"
        minimal.write_text(MINIMAL_APP)
        ours_s: list[float] = []
        full_s: list[float] = []
        content_s: list[float] = []
        base_s: list[float] = []
        for run in range(runs):
            # A fresh tmux server each time: reusing a socket races the last kill-server.
            socket = f"mcx-paint-{os.getpid()}-{run}"
            [base] = first_paint(
                f"{sys.executable} {minimal}", [("minimal app ready",)], socket + "a"
            )
            base_s.append(base)
            frame, full, content = first_paint(
                f"{sys.executable} -m mcexplorer --sandbox", [FRAME, COMPLETE, CONTENT], socket
            )
            ours_s.append(frame)
            full_s.append(full)
            content_s.append(content)
    base, ours, full, content = (statistics.median(s) for s in (base_s, ours_s, full_s, content_s))
    print(f"minimal Textual app: median {base * 1000:.0f} ms (min {min(base_s) * 1000:.0f})")
    print(f"mcexplorer --sandbox: median {ours * 1000:.0f} ms (min {min(ours_s) * 1000:.0f})")
    print(f"ratio {ours / base:.2f}× (budget 2×) over {runs} runs each")
    print(f"whole layout on screen: median {full * 1000:.0f} ms ({full / base:.2f}×)")
    print(
        f"map content on screen: median {content * 1000:.0f} ms "
        f"(min {min(content_s) * 1000:.0f}; {content / base:.2f}×, budget 2×)"
    )
    # Each run next to the minimal app's just before it: how far apart the same code lands.
    pairs = sorted(c / b for c, b in zip(content_s, base_s, strict=True))
    quarter = len(pairs) // 4
    print(
        f"run by run: content at {pairs[0]:.2f}–{pairs[-1]:.2f}× the minimal app "
        f"(middle half {pairs[quarter]:.2f}–{pairs[-1 - quarter]:.2f}×)"
    )
    # Within one poll of the first frame: the content came with it.
    with_frame = sum(c - f <= 2 * POLL_S for f, c in zip(ours_s, content_s, strict=True))
    print(f"map content in the first frame: {with_frame} of {runs} runs")
    # Where the time goes, for whoever trims it: the path `mcexplorer --sandbox` takes (root
    # options only: no command module is imported), then the TUI's own imports.
    probe = (
        "import time; t = time.perf_counter(); from mcexplorer.cli import build_parser; "
        "build_parser(with_commands=False).parse_known_args(['--sandbox']); "
        "a = time.perf_counter(); import mcexplorer.commands.tui, mcexplorer.tui.app; "
        "b = time.perf_counter(); print(f'{(a - t) * 1000:.0f} {(b - a) * 1000:.0f}')"
    )
    cli_ms, tui_ms = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout.split()
    print(f"of which: CLI start {cli_ms} ms, TUI imports {tui_ms} ms")


if __name__ == "__main__":
    main()
