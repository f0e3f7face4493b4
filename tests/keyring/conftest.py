"""A real Secret Service for `keyring_real` tests: gnome-keyring in a private D-Bus session.

dbus-daemon runs in the foreground under Popen (a forked daemon would be left a zombie where
PID 1 does not reap); gnome-keyring-daemon is unlocked with a throwaway password in a fresh
XDG_DATA_HOME (a stale login keyring with another password stays locked) and exits with the bus.
With CI=true the fixture fails instead of skipping: CI must exercise the real backend.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

UNLOCK_PASSWORD = b"mcexplorer-test-only"


@dataclass(frozen=True)
class SecretServiceSession:
    bus_address: str
    data_home: Path

    def env(self) -> dict[str, str]:
        """Environment for a subprocess that should see this Secret Service."""
        return {"DBUS_SESSION_BUS_ADDRESS": self.bus_address, "XDG_DATA_HOME": str(self.data_home)}


def _unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true needs the real Secret Service, but {reason}")
    pytest.skip(reason)


@contextlib.contextmanager
def start_secret_service() -> Iterator[SecretServiceSession]:
    """A private bus with an unlocked gnome-keyring; both gone (and the data dir) on exit."""
    missing = [tool for tool in ("dbus-daemon", "gnome-keyring-daemon") if not shutil.which(tool)]
    if missing:
        _unavailable(f"{', '.join(missing)} not installed (apt-get install gnome-keyring)")
    data_home = Path(tempfile.mkdtemp(prefix="mcx-secret-service-"))
    # Its own runtime dir too: gnome-keyring finds a running daemon through its control socket
    # there and would hand the unlock to that one instead of serving this bus.
    runtime = data_home / "runtime"
    runtime.mkdir(mode=0o700)
    env = {**os.environ, "XDG_DATA_HOME": str(data_home), "XDG_RUNTIME_DIR": str(runtime)}
    bus = subprocess.Popen(
        ["dbus-daemon", "--session", "--nofork", "--print-address=1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    try:
        assert bus.stdout is not None
        address = bus.stdout.readline().decode().strip()
        if not address:
            _unavailable("dbus-daemon printed no bus address")
        env["DBUS_SESSION_BUS_ADDRESS"] = address
        started = subprocess.run(
            ["gnome-keyring-daemon", "--unlock", "--components=secrets"],
            input=UNLOCK_PASSWORD,
            env=env,
            capture_output=True,
            timeout=30,
        )
        if started.returncode != 0:
            _unavailable(f"gnome-keyring-daemon failed: {started.stderr.decode(errors='replace')}")
        yield SecretServiceSession(address, data_home)
    finally:
        # gnome-keyring-daemon leaves when its bus goes away.
        bus.terminate()
        bus.wait(timeout=10)
        shutil.rmtree(data_home, ignore_errors=True)


@pytest.fixture(scope="session")
def secret_service() -> Iterator[SecretServiceSession]:
    with start_secret_service() as session:
        yield session


@pytest.fixture
def real_backend(
    secret_service: SecretServiceSession, monkeypatch: pytest.MonkeyPatch
) -> Iterator[object]:
    """`keyring.backends.SecretService.Keyring()` on the private bus, built explicitly (keyring
    caches a backend chosen before the bus existed)."""
    from keyring.backends import SecretService

    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", secret_service.bus_address)
    backend = SecretService.Keyring()
    yield backend
