"""`mcexplorer --sandbox`: the embedded sandbox runs in a child process, started before
Textual is imported, so its start (uvicorn, Starlette, the seeded data) overlaps the app's
import and first layout on another core instead of holding the app's GIL afterwards.

The child binds 127.0.0.1 only and serves until its stdin closes: when the app exits,
crashes or is killed outright, the pipe closes and the child exits (no orphan server).
Its address and demo key come back over its stdout pipe, never through the terminal, with
the API root (`GET /`, fetched by the child itself): the map can show it before the app
has loaded its HTTP engine.

    python -m mcexplorer.commands.tui_sandbox PROVIDER   (the child's side)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from typing import Any

STOP_TIMEOUT_S = 5.0
WATCHABLE_LATENCY_MS = 250  # a typical Mailchimp API call; the palette switches it off


class SandboxStartError(RuntimeError):
    """The child exited before it was listening; the message is its last words."""


class SandboxProcess:
    """The parent's handle: what the app needs of a running sandbox (url, api_url,
    demo_key, provider, stop)."""

    def __init__(self, provider: str) -> None:
        self.provider = provider
        self.url = self.api_url = self.demo_key = ""
        self.root: Any = None  # the API root, as the child fetched it (None: it could not)
        # Read only if the child fails to start; closed by stop().
        self._errors = tempfile.TemporaryFile()  # noqa: SIM115
        self._process = subprocess.Popen(
            [sys.executable, "-m", __name__, provider],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._errors,
        )

    @property
    def pid(self) -> int:
        return self._process.pid

    def wait_ready(self) -> None:
        """Block until the child listens (a thread worker calls this, or a test)."""
        if self.url:
            return
        assert self._process.stdout is not None
        line = self._process.stdout.readline()
        if not line:
            self._process.wait()
            self._errors.seek(0)
            last = self._errors.read().decode("utf-8", "replace").strip().splitlines()[-1:]
            raise SandboxStartError(f"the sandbox did not start: {' '.join(last) or 'no reason'}")
        ready = json.loads(line)
        self.url, self.api_url, self.demo_key = ready["url"], ready["api_url"], ready["demo_key"]
        self.root = ready.get("root")

    def stop(self) -> None:
        """Close the child's stdin (it stops its server and exits) and wait for it."""
        if self._process.stdin is not None and not self._process.stdin.closed:
            self._process.stdin.close()
        try:
            self._process.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        if self._process.stdout is not None:
            self._process.stdout.close()
        self._errors.close()


def _serve(provider: str) -> None:
    import signal

    if hasattr(os, "nice"):
        # On a busy machine the app's first frame comes first; on an idle one the child
        # has a core of its own and this changes nothing.
        os.nice(10)

    # Ctrl+C in the terminal reaches the whole process group: the app decides when to stop.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from mcexplorer.sandbox.app import SandboxApp
    from mcexplorer.sandbox.faults import FaultConfig
    from mcexplorer.sandbox.server import SandboxServer

    server = SandboxServer(provider=provider, host="127.0.0.1")
    server.start()
    ready = {
        "url": server.url,
        "api_url": server.api_url,
        "demo_key": server.demo_key,
        "root": _root(server.api_url, server.demo_key) if provider == "mailchimp" else None,
    }
    if isinstance(server.app, SandboxApp):
        # From here on API calls take about as long as the real API's, so the slot gauge and
        # the retry timeline can be watched (the root above was fetched without it).
        server.app.set_faults(FaultConfig(latency_ms=WATCHABLE_LATENCY_MS, latency_jitter_ms=80))
    sys.stdout.write(json.dumps(ready) + "\n")
    sys.stdout.flush()
    sys.stdin.buffer.read()  # until the app closes the pipe, or dies
    # Nothing to keep (the sandbox lives in memory): exit at once rather than wait for the
    # server's graceful shutdown, so quitting (or a crash) is not held up by it.
    os._exit(0)


def _root(api_url: str, key: str) -> Any:
    """GET / on the sandbox just started (urllib: nothing more to import here)."""
    import base64
    import urllib.request

    token = base64.b64encode(f"mcexplorer:{key}".encode()).decode()
    request = urllib.request.Request(api_url, headers={"Authorization": f"Basic {token}"})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return json.loads(response.read())
    except (OSError, ValueError):
        return None  # the app fetches it itself anyway


if __name__ == "__main__":
    _serve(sys.argv[1])
