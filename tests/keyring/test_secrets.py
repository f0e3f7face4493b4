"""Secret stores: keyring (with refusals, errors and timeouts), memory, opt-in file."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import ClassVar

import pytest
from keyring.backends import chainer, fail, null

from mcexplorer.core.accounts.secrets import (
    SERVICE,
    InsecureFileSecretStore,
    KeyringSecretStore,
    MemorySecretStore,
    SecretStoreError,
    adelete,
    aget,
    aset,
    choose_backend,
)
from tests.keyring.backends import (
    INIT_FAILED,
    LOCKED,
    NO_KEYRING,
    HangingKeyring,
    PlaintextKeyring,
    RaisingKeyring,
)
from tests.memory_keyring import MemoryKeyring

KEY = "0123456789abcdef0123456789abcdef-us6"


def test_keyring_store_round_trip_uses_service_and_profile_name(
    isolate_user_dirs: MemoryKeyring,
) -> None:
    store = KeyringSecretStore()
    store.set("work", KEY)
    assert isolate_user_dirs.store == {(SERVICE, "work"): KEY}
    assert store.get("work") == KEY
    store.delete("work")
    store.delete("work")  # removing twice is not an error
    assert store.get("work") is None
    assert store.status().usable


@pytest.mark.parametrize(
    ("backend", "reason"),
    [
        (fail.Keyring(), "no keyring backend is available"),
        (null.Keyring(), "null backend"),
        (PlaintextKeyring(), "plaintext"),
    ],
)
def test_unacceptable_backends_are_refused_with_the_choices(backend: object, reason: str) -> None:
    store = KeyringSecretStore(backend)  # type: ignore[arg-type]
    status = store.status()
    assert not status.usable
    assert reason in status.explanation
    assert "MAILCHIMP_API_KEY" in status.explanation
    assert "--insecure-file-store" in status.explanation
    with pytest.raises(SecretStoreError, match=reason):
        store.set("work", KEY)


def test_a_chainer_uses_its_best_acceptable_member() -> None:
    good = MemoryKeyring()
    bad = PlaintextKeyring()
    bad.priority = 9  # type: ignore[misc]  # ranked first, as a prompting backend would be

    class TwoMembers(chainer.ChainerBackend):
        backends: ClassVar = [bad, good]

    chosen, refused = choose_backend(TwoMembers())
    assert chosen is good
    assert refused is None


@pytest.mark.parametrize(
    ("error", "cause"),
    [
        (LOCKED, "the keyring is locked"),
        (NO_KEYRING, "no keyring backend is available"),
        (INIT_FAILED, "could not be opened"),
        (RuntimeError("dbus went away"), "RuntimeError: dbus went away"),
    ],
)
def test_backend_errors_become_one_clear_error(error: Exception, cause: str) -> None:
    store = KeyringSecretStore(RaisingKeyring(error))
    for call in (lambda: store.get("w"), lambda: store.set("w", KEY), lambda: store.delete("w")):
        with pytest.raises(SecretStoreError) as caught:
            call()
        message = str(caught.value)
        assert cause in message
        assert "in memory" in message
        assert KEY not in message


def test_a_hanging_backend_times_out_instead_of_freezing_the_caller() -> None:
    backend = HangingKeyring()
    store = KeyringSecretStore(backend, timeout_s=0.05)
    try:
        with pytest.raises(SecretStoreError, match=r"did not answer within 0\.05 s"):
            store.get("work")
    finally:
        backend.release.set()


async def test_async_wrappers_run_the_calls(isolate_user_dirs: MemoryKeyring) -> None:
    store = KeyringSecretStore()
    await aset(store, "work", KEY)
    assert await aget(store, "work") == KEY
    await adelete(store, "work")
    assert isolate_user_dirs.store == {}


def test_memory_store_keeps_secrets_for_the_process_only() -> None:
    store = MemorySecretStore()
    store.set("a", KEY)
    assert store.get("a") == KEY
    assert store.badge
    store.delete("a")
    assert store.get("a") is None


def test_insecure_file_store_is_private_and_says_so(tmp_path: Path) -> None:
    path = tmp_path / "data" / "insecure-secrets.json"
    store = InsecureFileSecretStore(path)
    store.set("a", KEY)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert InsecureFileSecretStore(path).get("a") == KEY
    assert "UNENCRYPTED" in store.warning and store.badge
    store.delete("a")
    assert store.get("a") is None


def test_a_damaged_insecure_file_is_reported_not_replaced(tmp_path: Path) -> None:
    path = tmp_path / "insecure-secrets.json"
    path.write_text("{not json")
    store = InsecureFileSecretStore(path)
    with pytest.raises(SecretStoreError, match="Could not read the insecure file store"):
        store.set("a", KEY)
    assert path.read_text() == "{not json"
