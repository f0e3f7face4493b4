"""Where secrets live: the OS keyring, or (by choice) memory or an opt-in plaintext file.

Every keyring call runs in a daemon thread with a timeout, so a backend waiting on an unlock
prompt cannot freeze the caller; `a*` wrappers move that wait off an asyncio event loop.
Backends that store in plaintext, store nothing, or prompt on the terminal are refused up
front: the caller then offers the environment variable, memory, or the explicit file store.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Protocol, TypeVar

import keyring
import keyring.errors
from keyring.backend import KeyringBackend

from mcexplorer.core.accounts.keys import mask
from mcexplorer.core.atomic import SaveError, atomic_write_text

SERVICE = "mcexplorer"
DEFAULT_TIMEOUT_S = 10.0
INSECURE_FILE_NAME = "insecure-secrets.json"

CHOICES = (
    "Choices: set MAILCHIMP_API_KEY (or MAILERSEND_API_TOKEN) in the environment; keep the key "
    "in memory until the app exits; or opt in to an unencrypted file store "
    "(--insecure-file-store)."
)

# Backends that would silently keep secrets in plaintext, drop them, or prompt on the terminal
# (which breaks a TUI that owns it). Matched on "module.Class" prefixes.
_REFUSED: dict[str, str] = {
    "keyring.backends.fail.": "no keyring backend is available",
    "keyring.backends.null.": "the keyring is disabled (null backend)",
    "keyrings.alt.file.PlaintextKeyring": "the only backend stores secrets in plaintext",
    "keyrings.alt.file.EncryptedKeyring": "the backend would prompt for a password on the terminal",
    "keyrings.cryptfile.": "the backend would prompt for a password on the terminal",
}

T = TypeVar("T")


class StoreKind(StrEnum):
    KEYRING = "keyring"
    MEMORY = "memory"
    INSECURE_FILE = "insecure-file"


class SecretStoreError(Exception):
    """A secret could not be read, saved or removed. The message names the cause and the choices
    and never holds the secret."""


class SecretStore(Protocol):
    kind: StoreKind

    @property
    def badge(self) -> str | None: ...

    def get(self, name: str) -> str | None: ...
    def set(self, name: str, secret: str) -> None: ...
    def delete(self, name: str) -> None: ...


@dataclass(frozen=True)
class BackendStatus:
    """What the keyring can do here, for `keys list` and the TUI accounts screen."""

    backend: str  # "module.Class" of the backend in use (or refused)
    usable: bool
    explanation: str  # one or two sentences: the backend and, when unusable, why and the choices


def _backend_name(backend: KeyringBackend) -> str:
    cls = type(backend)
    return f"{cls.__module__}.{cls.__qualname__}"


def _refusal(backend: KeyringBackend) -> str | None:
    name = _backend_name(backend)
    for prefix, reason in _REFUSED.items():
        if name.startswith(prefix):
            return reason
    if "plaintext" in name.lower():
        return "the only backend stores secrets in plaintext"
    return None


def choose_backend(backend: KeyringBackend | None = None) -> tuple[KeyringBackend, str | None]:
    """The backend to use and, if none is acceptable, the reason.

    A chainer is opened up and its best acceptable member used directly, so a refused member
    (e.g. one that prompts) is never reached as a fallback.
    """
    chosen = keyring.get_keyring() if backend is None else backend
    members = getattr(chosen, "backends", None)
    if members is None:
        return chosen, _refusal(chosen)
    ranked = sorted(members, key=lambda b: b.priority, reverse=True)
    for member in ranked:
        if _refusal(member) is None:
            return member, None
    if ranked:
        return ranked[0], _refusal(ranked[0])
    return chosen, "no keyring backend is available"


def _describe_error(exc: BaseException) -> str:
    if isinstance(exc, keyring.errors.KeyringLocked):
        return "the keyring is locked (unlock it, e.g. by logging in to the desktop session)"
    if isinstance(exc, keyring.errors.NoKeyringError):
        return "no keyring backend is available"
    if isinstance(exc, keyring.errors.InitError):
        return f"the keyring could not be opened ({exc})"
    return f"the keyring failed ({type(exc).__name__}: {exc})"


def _scrub(text: str, secret: str | None) -> str:
    return text.replace(secret, mask(secret)) if secret else text


def run_with_timeout(call: Callable[[], T], timeout_s: float, what: str) -> T:
    """Run `call` in a daemon thread; raise SecretStoreError if it fails or outlasts `timeout_s`.

    A daemon thread, not an executor, so a call stuck on a prompt never blocks interpreter exit.
    """
    box: dict[str, object] = {}

    def target() -> None:
        try:
            box["value"] = call()
        except BaseException as exc:  # handed to the caller's thread below
            box["error"] = exc

    worker = threading.Thread(target=target, name=f"keyring-{what}", daemon=True)
    worker.start()
    worker.join(timeout_s)
    if worker.is_alive():
        raise SecretStoreError(
            f"Could not {what}: the keyring did not answer within {timeout_s:g} s "
            f"(it may be waiting for an unlock prompt). {CHOICES}"
        )
    if "error" in box:
        error = box["error"]
        assert isinstance(error, BaseException)
        raise error
    return box["value"]  # type: ignore[return-value]


class KeyringSecretStore:
    """Secrets in the OS keyring under service `mcexplorer`, username = profile name."""

    kind = StoreKind.KEYRING
    badge: str | None = None

    def __init__(
        self, backend: KeyringBackend | None = None, *, timeout_s: float = DEFAULT_TIMEOUT_S
    ) -> None:
        self._backend, self._refused = choose_backend(backend)
        self.timeout_s = timeout_s

    def status(self) -> BackendStatus:
        name = _backend_name(self._backend)
        if self._refused:
            explanation = f"Keyring unusable: {self._refused} ({name}). {CHOICES}"
            return BackendStatus(name, False, explanation)
        return BackendStatus(name, True, f"Secrets are kept in the OS keyring ({name}).")

    def _call(self, what: str, call: Callable[[], T], secret: str | None = None) -> T:
        if self._refused:
            raise SecretStoreError(f"Could not {what}: {self._refused}. {CHOICES}")
        try:
            return run_with_timeout(call, self.timeout_s, what)
        except SecretStoreError:
            raise
        except (keyring.errors.KeyringError, RuntimeError, OSError) as exc:
            cause = _scrub(_describe_error(exc), secret)
            raise SecretStoreError(f"Could not {what}: {cause}. {CHOICES}") from None

    def get(self, name: str) -> str | None:
        return self._call(
            f"read the secret of '{name}'",
            lambda: self._backend.get_password(SERVICE, name),
        )

    def set(self, name: str, secret: str) -> None:
        self._call(
            f"save the secret of '{name}'",
            lambda: self._backend.set_password(SERVICE, name, secret),
            secret,
        )

    def delete(self, name: str) -> None:
        def remove() -> None:
            # already gone is fine: removing is idempotent
            with contextlib.suppress(keyring.errors.PasswordDeleteError):
                self._backend.delete_password(SERVICE, name)

        self._call(f"remove the secret of '{name}'", remove)


class MemorySecretStore:
    """Secrets kept only for the life of this process."""

    kind = StoreKind.MEMORY
    badge: str | None = "key in memory only"

    def __init__(self) -> None:
        self._secrets: dict[str, str] = {}

    def get(self, name: str) -> str | None:
        return self._secrets.get(name)

    def set(self, name: str, secret: str) -> None:
        self._secrets[name] = secret

    def delete(self, name: str) -> None:
        self._secrets.pop(name, None)


class InsecureFileSecretStore:
    """Explicit opt-in: secrets as plaintext JSON in a 0600 file under the data dir."""

    kind = StoreKind.INSECURE_FILE
    badge: str | None = "INSECURE: key stored unencrypted"
    WARNING = (
        "Warning: the secret is stored UNENCRYPTED in {path} (readable by anyone who can read "
        "your files as you). Prefer the OS keyring or the environment variable."
    )

    def __init__(self, path: Path) -> None:
        self.path = path

    @property
    def warning(self) -> str:
        return self.WARNING.format(path=self.path)

    def _load(self) -> dict[str, str]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            raise SecretStoreError(
                f"Could not read the insecure file store {self.path}: {type(exc).__name__}."
            ) from None
        if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
            raise SecretStoreError(f"The insecure file store {self.path} is not a JSON object.")
        return data

    def _save(self, data: dict[str, str]) -> None:
        try:
            atomic_write_text(self.path, json.dumps(data, indent=2, sort_keys=True) + "\n")
            os.chmod(self.path, 0o600)  # mkstemp already made it 0600; keep it so on every save
        except (SaveError, OSError) as exc:
            raise SecretStoreError(str(exc)) from None

    def get(self, name: str) -> str | None:
        return self._load().get(name)

    def set(self, name: str, secret: str) -> None:
        data = self._load()
        data[name] = secret
        self._save(data)

    def delete(self, name: str) -> None:
        data = self._load()
        if data.pop(name, None) is not None:
            self._save(data)


async def aget(store: SecretStore, name: str) -> str | None:
    """`store.get` off the event loop (for the TUI)."""
    return await asyncio.to_thread(store.get, name)


async def aset(store: SecretStore, name: str, secret: str) -> None:
    await asyncio.to_thread(store.set, name, secret)


async def adelete(store: SecretStore, name: str) -> None:
    await asyncio.to_thread(store.delete, name)
