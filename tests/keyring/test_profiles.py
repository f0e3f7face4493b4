"""Profiles: metadata in the config file, secrets in the store, nothing written on errors."""

from __future__ import annotations

import json
import unicodedata
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mcexplorer.core.accounts.keys import AuthKind, BaseUrlError, Credentials, Provider
from mcexplorer.core.accounts.profiles import (
    MAX_NAME_LENGTH,
    Accounts,
    ProfileError,
    check_profile_name,
    config_path,
)
from mcexplorer.core.accounts.secrets import (
    SERVICE,
    KeyringSecretStore,
    SecretStoreError,
    StoreKind,
)
from mcexplorer.core.atomic import SaveError
from tests.keyring.backends import LOCKED, RaisingKeyring
from tests.memory_keyring import MemoryKeyring

KEY = "0123456789abcdef0123456789abcdef-us6"
OTHER = "fedcba9876543210fedcba9876543210-us19"
FIXED = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


def accounts() -> Accounts:
    return Accounts(clock=lambda: FIXED)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_config_lives_under_the_isolated_config_dir(tmp_path: Path) -> None:
    assert config_path().is_relative_to(tmp_path)
    assert config_path().name == "profiles.json"


def test_add_saves_metadata_in_the_file_and_the_secret_in_the_keyring(
    isolate_user_dirs: MemoryKeyring,
) -> None:
    acc = accounts()
    profile = acc.add("work", Credentials.api_key(KEY))
    assert (profile.provider, profile.kind, profile.dc) == (
        Provider.MAILCHIMP,
        AuthKind.API_KEY,
        "us6",
    )
    assert profile.hint == "…cdef-us6"
    assert acc.default == "work"  # the first profile becomes the default
    text = config_path().read_text()
    assert KEY not in text and KEY[:32] not in text
    assert json.loads(text)["profiles"]["work"]["created_at"] == "2026-01-02T03:04:05+00:00"
    assert isolate_user_dirs.store == {(SERVICE, "work"): KEY}
    reloaded = accounts()
    assert reloaded.get("work") == profile
    assert reloaded.credentials("work") == Credentials.api_key(KEY)


def test_providers_and_auth_kinds_round_trip() -> None:
    acc = accounts()
    acc.add("oauth", Credentials.oauth("opaque-token", "us3"))
    acc.add("ms", Credentials.mailersend("mlsn.token"), base_url="http://127.0.0.1:9/v1")
    again = accounts()
    assert again.credentials("oauth") == Credentials.oauth("opaque-token", "us3")
    assert again.credentials("ms") == Credentials.mailersend("mlsn.token")
    assert again.get("ms").base_url == "http://127.0.0.1:9/v1/"
    assert [p.name for p in again.profiles()] == ["ms", "oauth"]


def test_rename_moves_the_secret_and_the_default(isolate_user_dirs: MemoryKeyring) -> None:
    acc = accounts()
    acc.add("work", Credentials.api_key(KEY))
    acc.rename("work", "job")
    assert isolate_user_dirs.store == {(SERVICE, "job"): KEY}
    again = accounts()
    assert again.default == "job"
    assert [p.name for p in again.profiles()] == ["job"]


def test_remove_deletes_both_and_clears_the_default(isolate_user_dirs: MemoryKeyring) -> None:
    acc = accounts()
    acc.add("work", Credentials.api_key(KEY))
    acc.add("other", Credentials.api_key(OTHER))
    acc.remove("work")
    assert isolate_user_dirs.store == {(SERVICE, "other"): OTHER}
    again = accounts()
    assert again.default is None
    assert [p.name for p in again.profiles()] == ["other"]


def test_set_default_and_touch_are_saved() -> None:
    acc = accounts()
    acc.add("a", Credentials.api_key(KEY))
    acc.add("b", Credentials.api_key(OTHER))
    acc.set_default("b")
    acc.touch("a")
    again = accounts()
    assert again.default == "b"
    assert again.get("a").last_used_at == "2026-01-02T03:04:05+00:00"


@pytest.mark.parametrize(
    ("name", "cause"),
    [
        ("", "cannot be empty"),
        ("   ", "cannot be empty"),
        ("a/b", "path separator"),
        ("a\\b", "path separator"),
        ("..", "not a usable"),
        ("tab\there", "control characters"),
        ("new\nline", "control characters"),
        (" lead", "space"),
        ("x" * (MAX_NAME_LENGTH + 1), "at most 64"),
    ],
)
def test_bad_names_are_refused_and_nothing_is_written(
    name: str, cause: str, tmp_path: Path, isolate_user_dirs: MemoryKeyring
) -> None:
    before = snapshot(tmp_path)
    with pytest.raises(ProfileError, match=cause):
        accounts().add(name, Credentials.api_key(KEY))
    assert snapshot(tmp_path) == before
    assert isolate_user_dirs.store == {}


@given(st.text(min_size=1, max_size=MAX_NAME_LENGTH))
def test_accepted_names_are_safe_as_file_and_keyring_names(name: str) -> None:
    try:
        check_profile_name(name)
    except ProfileError:
        return
    assert "/" not in name and "\\" not in name
    assert not any(unicodedata.category(ch).startswith("C") for ch in name)
    assert name == name.strip() and name not in (".", "..")


def test_duplicates_unknown_names_and_bad_base_urls_are_clear_errors(tmp_path: Path) -> None:
    acc = accounts()
    acc.add("work", Credentials.api_key(KEY))
    before = snapshot(tmp_path)
    with pytest.raises(ProfileError, match="already exists"):
        acc.add("work", Credentials.api_key(OTHER))
    with pytest.raises(ProfileError, match=r"No profile named 'nope' \(known: work\)"):
        acc.get("nope")
    with pytest.raises(ProfileError, match="No profile named"):
        acc.rename("nope", "x")
    with pytest.raises(BaseUrlError, match="Refusing plain http"):
        acc.add("remote", Credentials.api_key(OTHER), base_url="http://example.com/3.0/")
    assert snapshot(tmp_path) == before


def test_a_locked_keyring_leaves_the_config_untouched(tmp_path: Path) -> None:
    acc = Accounts(keyring_store=KeyringSecretStore(RaisingKeyring(LOCKED)))
    with pytest.raises(SecretStoreError, match="locked"):
        acc.add("work", Credentials.api_key(KEY))
    assert not config_path().exists()


def test_a_failed_config_save_rolls_the_secret_back(
    isolate_user_dirs: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    acc = accounts()

    def refuse(path: Path, text: str) -> None:
        raise SaveError(f"Could not save {path}: the disk is full; the previous file is unchanged.")

    monkeypatch.setattr("mcexplorer.core.accounts.profiles.atomic_write_text", refuse)
    with pytest.raises(SaveError, match="disk is full"):
        acc.add("work", Credentials.api_key(KEY))
    assert isolate_user_dirs.store == {}
    assert acc.profiles() == []


def test_a_damaged_config_is_reported_and_kept() -> None:
    path = config_path()
    path.parent.mkdir(parents=True)
    path.write_text('{"profiles": {"w": {"provider": "carrier-pigeon"}}}')
    with pytest.raises(ProfileError, match="is damaged"):
        accounts()
    assert "carrier-pigeon" in path.read_text()


def test_a_secret_missing_from_the_keyring_says_how_to_fix_it(
    isolate_user_dirs: MemoryKeyring,
) -> None:
    acc = accounts()
    acc.add("work", Credentials.api_key(KEY))
    isolate_user_dirs.store.clear()
    with pytest.raises(ProfileError, match="mcexplorer keys add work"):
        acc.credentials("work")


def test_memory_profiles_are_never_written(isolate_user_dirs: MemoryKeyring) -> None:
    acc = accounts()
    acc.add("saved", Credentials.api_key(OTHER))
    acc.add("temp", Credentials.api_key(KEY), store=StoreKind.MEMORY, make_default=True)
    assert acc.default == "temp"
    assert acc.credentials("temp").secret == KEY
    assert KEY not in config_path().read_text()
    assert isolate_user_dirs.store == {(SERVICE, "saved"): OTHER}
    again = accounts()
    assert [p.name for p in again.profiles()] == ["saved"]
    assert again.default == "saved"  # the file kept its own default


def test_insecure_file_profiles_read_back_from_the_file(tmp_path: Path) -> None:
    acc = accounts()
    acc.add("plain", Credentials.api_key(KEY), store=StoreKind.INSECURE_FILE)
    assert KEY not in config_path().read_text()
    again = accounts()
    assert again.get("plain").store is StoreKind.INSECURE_FILE
    assert again.credentials("plain").secret == KEY
    again.remove("plain")
    assert KEY not in "".join(p.read_text() for p in tmp_path.rglob("*.json"))
