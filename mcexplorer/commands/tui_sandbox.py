"""`mcexplorer --sandbox`: the embedded sandbox runs in a child process, started before
Textual is imported, so its start (uvicorn, Starlette, the seeded data) overlaps the app's
import and first layout on another core instead of holding the app's GIL afterwards.

The child binds 127.0.0.1 only and serves until its stdin closes: when the app exits,
crashes or is killed outright, the pipe closes and the child exits (no orphan server).
It answers over its stdout pipe, never through the terminal, in two lines:

1. as soon as its socket is bound and its demo account seeded (before the HTTP server has
   even loaded): the address, the demo key and the API root (what `GET /` answers), so
   the map shows its first level while the app is still starting (MailerSend's child
   says it once its server runs, with no root: its token is made with its account);
2. once the server accepts requests: `{"listening": true}`.

    python -m mcexplorer.commands.tui_sandbox PROVIDER   (the child's side)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mcexplorer.sandbox.store import Store

STOP_TIMEOUT_S = 5.0
WATCHABLE_LATENCY_MS = 250  # a typical Mailchimp API call; the palette switches it off
HOST = "127.0.0.1"


class SandboxStartError(RuntimeError):
    """The child exited before it was listening; the message is its last words."""


class SandboxProcess:
    """The parent's handle: what the app needs of a running sandbox (url, api_url,
    demo_key, provider, stop). A thread reads the child's two lines as they come, so the
    root is at hand the moment the app can show it, without a wait."""

    def __init__(self, provider: str) -> None:
        self.provider = provider
        self.url = self.api_url = self.demo_key = ""
        self.root: Any = None  # the API root, as the child built it (None: MailerSend's)
        self._announced = threading.Event()
        self._lock = threading.Lock()
        self._callbacks: list[Callable[[Any], None]] = []
        self._listening = threading.Event()
        self._failure: SandboxStartError | None = None
        # Read only if the child fails to start; closed by stop().
        self._errors = tempfile.TemporaryFile()  # noqa: SIM115
        self._process = subprocess.Popen(
            [sys.executable, "-m", __name__, provider],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._errors,
        )
        self._reader = threading.Thread(target=self._read, name="sandbox-pipe", daemon=True)
        self._reader.start()

    @property
    def pid(self) -> int:
        return self._process.pid

    def on_announced(self, callback: Callable[[Any], None]) -> None:
        """`callback(root)` once the child has announced its address and root (long before
        it listens): at once if it has, else from the thread that reads its pipe."""
        with self._lock:
            if not self._announced.is_set():
                self._callbacks.append(callback)
                return
        callback(self.root)

    def wait_ready(self) -> None:
        """Block until the child listens (a thread worker calls this, or a test)."""
        self._listening.wait()
        if self._failure is not None:
            raise self._failure

    def _read(self) -> None:
        try:
            seeded = self._read_line()
            self.url, self.api_url = seeded["url"], seeded["api_url"]
            self.demo_key, self.root = seeded["demo_key"], seeded["root"]
            self._announce()
            self._read_line()  # {"listening": true}
        except SandboxStartError as exc:
            self._failure = exc
        except (ValueError, KeyError) as exc:  # not our child's words: fail, do not guess
            self._failure = SandboxStartError(f"the sandbox answered oddly: {exc}")
        finally:
            self._announce()  # no root: wait_ready() tells why
            self._listening.set()

    def _announce(self) -> None:
        with self._lock:
            if self._announced.is_set():
                return
            self._announced.set()
            callbacks, self._callbacks = self._callbacks, []
        for callback in callbacks:
            callback(self.root)

    def _read_line(self) -> dict[str, Any]:
        assert self._process.stdout is not None
        line = self._process.stdout.readline()
        if not line:
            self._process.wait()
            self._errors.seek(0)
            last = self._errors.read().decode("utf-8", "replace").strip().splitlines()[-1:]
            raise SandboxStartError(f"the sandbox did not start: {' '.join(last) or 'no reason'}")
        answer: dict[str, Any] = json.loads(line)
        return answer

    def stop(self) -> None:
        """Close the child's stdin (it stops its server and exits) and wait for it."""
        if self._process.stdin is not None and not self._process.stdin.closed:
            self._process.stdin.close()
        try:
            self._process.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        self._reader.join()  # the child is gone: its pipe is at its end
        if self._process.stdout is not None:
            self._process.stdout.close()
        self._errors.close()


def _serve(provider: str) -> None:
    import signal
    import socket

    # Ctrl+C in the terminal reaches the whole process group: the app decides when to stop.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(os, "nice"):
        # Second to the app's first frame on a busy machine: the root below is ready long
        # before that frame even so (an idle machine has a core to spare anyway).
        os.nice(10)
    # Bound first: the root's links and the address need the port. Connections that come
    # before the server runs wait in the socket's backlog.
    sock = socket.create_server((HOST, 0))
    url = f"http://{HOST}:{sock.getsockname()[1]}"
    store = _announce_mailchimp(url) if provider == "mailchimp" else None

    from mcexplorer.sandbox.app import SandboxApp
    from mcexplorer.sandbox.faults import FaultConfig
    from mcexplorer.sandbox.server import SandboxServer

    server = SandboxServer(provider=provider, host=HOST, store=store)  # the one announced
    server.start(sock)
    if store is None:  # MailerSend's token is made with its account: no root to show early
        _say({"url": url, "api_url": server.api_url, "demo_key": server.demo_key, "root": None})
    if isinstance(server.app, SandboxApp):
        # From here on API calls take about as long as the real API's, so the slot gauge and
        # the retry timeline can be watched.
        server.app.set_faults(FaultConfig(latency_ms=WATCHABLE_LATENCY_MS, latency_jitter_ms=80))
    _say({"listening": True})
    sys.stdin.buffer.read()  # until the app closes the pipe, or dies
    # Nothing to keep (the sandbox lives in memory): exit at once rather than wait for the
    # server's graceful shutdown, so quitting (or a crash) is not held up by it.
    os._exit(0)


def _announce_mailchimp(url: str) -> Store:
    """Build the demo account and announce its address, key and root (what `GET /` will
    answer) before the HTTP server loads: the store, catalog and links load in a fraction
    of its time. The server then serves this same store."""
    from mcexplorer.sandbox.root import API_PREFIX, root_body
    from mcexplorer.sandbox.seed import build_store

    store = build_store(0, "us6")
    api_url = url + API_PREFIX
    root = root_body(store, api_url, "owner")
    _say({"url": url, "api_url": api_url + "/", "demo_key": store.demo_key, "root": root})
    return store


def _say(line: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(line) + "\n")
    sys.stdout.flush()


if __name__ == "__main__":
    _serve(sys.argv[1])
