"""Suite-wide isolation: no test touches the user's config, data, cache or keyring."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import keyring
import keyring.backend
import pytest

from tests.memory_keyring import MemoryKeyring

SECRET_ENV_VARS = ("MAILCHIMP_API_KEY", "MAILERSEND_API_TOKEN")


@pytest.fixture(autouse=True)
def isolate_user_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[MemoryKeyring]:
    """Point the XDG dirs at tmp_path, drop secret env vars, and use an in-memory keyring.

    Yields the keyring so a test can look inside it.
    """
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        folder = tmp_path / "xdg" / name.removeprefix("XDG_").removesuffix("_HOME").lower()
        folder.mkdir(parents=True)
        monkeypatch.setenv(name, str(folder))
    (tmp_path / "home").mkdir()
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    for name in SECRET_ENV_VARS:
        monkeypatch.delenv(name, raising=False)
    for name in [n for n in os.environ if n.startswith("MCX_VAR_")]:  # run's variables
        monkeypatch.delenv(name)
    monkeypatch.delenv("PYTHON_KEYRING_BACKEND", raising=False)
    previous: keyring.backend.KeyringBackend = keyring.get_keyring()
    memory = MemoryKeyring()
    keyring.set_keyring(memory)
    yield memory
    keyring.set_keyring(previous)
