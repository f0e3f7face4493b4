"""Keyring backends that misbehave in the ways real ones do, for the error paths."""

from __future__ import annotations

import threading

from keyring.backend import KeyringBackend
from keyring.errors import InitError, KeyringLocked, NoKeyringError


class RaisingKeyring(KeyringBackend):
    """Every call raises the given error, as a locked or absent keyring does."""

    priority = 1  # type: ignore[assignment]

    def __init__(self, error: Exception) -> None:
        super().__init__()
        self.error = error

    def get_password(self, service: str, username: str) -> str | None:
        raise self.error

    def set_password(self, service: str, username: str, password: str) -> None:
        raise self.error

    def delete_password(self, service: str, username: str) -> None:
        raise self.error


class HangingKeyring(KeyringBackend):
    """Blocks like a backend waiting on an unlock prompt, until released."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.release = threading.Event()

    def get_password(self, service: str, username: str) -> str | None:
        self.release.wait()
        return None

    def set_password(self, service: str, username: str, password: str) -> None:
        self.release.wait()

    def delete_password(self, service: str, username: str) -> None:
        self.release.wait()


class PlaintextKeyring(KeyringBackend):
    """Named like keyrings.alt's plaintext backend: must be refused by name."""

    priority = 1  # type: ignore[assignment]

    def get_password(self, service: str, username: str) -> str | None:
        raise AssertionError("a refused backend must never be called")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise AssertionError("a refused backend must never be called")

    def delete_password(self, service: str, username: str) -> None:
        raise AssertionError("a refused backend must never be called")


LOCKED = KeyringLocked("Failed to unlock the collection!")
NO_KEYRING = NoKeyringError("No recommended backend was available.")
INIT_FAILED = InitError("Failed to create the collection: Prompt dismissed..")
