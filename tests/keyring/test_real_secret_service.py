"""Our stores against a real Secret Service (gnome-keyring on a private D-Bus session)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from keyring.backends import SecretService

from mcexplorer.core.accounts.keys import Credentials
from mcexplorer.core.accounts.profiles import Accounts
from mcexplorer.core.accounts.secrets import KeyringSecretStore, SecretStoreError
from tests.keyring.conftest import SecretServiceSession, start_secret_service

pytestmark = pytest.mark.keyring_real

KEY = "0123456789abcdef0123456789abcdef-us6"


def test_the_real_backend_is_accepted(real_backend: SecretService.Keyring) -> None:
    status = KeyringSecretStore(real_backend).status()
    assert status.usable
    assert status.backend == "keyring.backends.SecretService.Keyring"


def test_profiles_round_trip_rename_and_remove(real_backend: SecretService.Keyring) -> None:
    store = KeyringSecretStore(real_backend)
    accounts = Accounts(keyring_store=store)
    accounts.add("real-work", Credentials.api_key(KEY))
    assert real_backend.get_password("mcexplorer", "real-work") == KEY
    assert Accounts(keyring_store=store).credentials("real-work").secret == KEY

    accounts.rename("real-work", "real-job")
    assert real_backend.get_password("mcexplorer", "real-work") is None
    assert real_backend.get_password("mcexplorer", "real-job") == KEY

    accounts.remove("real-job")
    assert real_backend.get_password("mcexplorer", "real-job") is None
    assert accounts.profiles() == []


def test_secret_tool_sees_what_we_stored(
    real_backend: SecretService.Keyring, secret_service: SecretServiceSession
) -> None:
    """Cross-check with libsecret's own client, when it is installed."""
    tool = shutil.which("secret-tool")
    if tool is None:
        pytest.skip("secret-tool not installed (libsecret-tools)")
    KeyringSecretStore(real_backend).set("cross-check", KEY)
    found = subprocess.run(
        [tool, "lookup", "service", "mcexplorer", "username", "cross-check"],
        env={"PATH": "/usr/bin:/bin", **secret_service.env()},
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    assert found.stdout.strip() == KEY
    KeyringSecretStore(real_backend).delete("cross-check")


def test_a_locked_collection_gives_our_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import secretstorage

    # A bus of its own: once locked, its collection cannot be unlocked without a GUI prompt.
    with start_secret_service() as session:
        monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", session.bus_address)
        store = KeyringSecretStore(SecretService.Keyring())
        store.set("locked", KEY)
        connection = secretstorage.dbus_init()
        try:
            collection = secretstorage.get_default_collection(connection)
            collection.lock()
            assert collection.is_locked()
            for call in (lambda: store.get("locked"), lambda: store.set("locked", KEY)):
                with pytest.raises(SecretStoreError) as caught:
                    call()
                message = str(caught.value)
                assert "the keyring is locked" in message
                assert "MAILCHIMP_API_KEY" in message
                assert KEY not in message
        finally:
            connection.close()


def test_a_dead_bus_gives_our_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    gone = Path(tempfile.mkdtemp()) / "no-bus"
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", f"unix:path={gone}")
    store = KeyringSecretStore(SecretService.Keyring())
    with pytest.raises(SecretStoreError) as caught:
        store.set("dead", KEY)
    assert "Could not save the secret of 'dead'" in str(caught.value)
    assert "--insecure-file-store" in str(caught.value)
