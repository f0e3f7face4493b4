"""Saved accounts ("profiles"): metadata in a config file, the secret in a SecretStore.

The config file (`profiles.json` under the user's config dir) never holds a secret: only the
provider, auth kind, datacenter, an optional base-URL override, a masked hint and timestamps.
Every change validates first and writes last, so an error leaves both the file and the keyring
as they were.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import platformdirs

from mcexplorer.core.accounts.keys import (
    AuthKind,
    Credentials,
    KeyFormatError,
    Provider,
    normalize_base_url,
)
from mcexplorer.core.accounts.secrets import (
    INSECURE_FILE_NAME,
    BackendStatus,
    InsecureFileSecretStore,
    KeyringSecretStore,
    MemorySecretStore,
    SecretStore,
    SecretStoreError,
    StoreKind,
)
from mcexplorer.core.atomic import SaveError, atomic_write_text

APP_NAME = "mcexplorer"
CONFIG_FILE_NAME = "profiles.json"
CONFIG_VERSION = 1
MAX_NAME_LENGTH = 64


class ProfileError(ValueError):
    """Bad profile name, unknown profile, or an unreadable config file; the message says which."""


def config_path() -> Path:
    return platformdirs.user_config_path(APP_NAME, appauthor=False) / CONFIG_FILE_NAME


def insecure_store_path() -> Path:
    return platformdirs.user_data_path(APP_NAME, appauthor=False) / INSECURE_FILE_NAME


def check_profile_name(name: str) -> str:
    """Return the name, or raise ProfileError: it becomes a keyring username and a config key."""
    if not name or not name.strip():
        raise ProfileError("A profile name cannot be empty.")
    if len(name) > MAX_NAME_LENGTH:
        raise ProfileError(f"A profile name has at most {MAX_NAME_LENGTH} characters.")
    if "/" in name or "\\" in name:
        raise ProfileError(f"Profile name {name!r} contains a path separator ('/' or '\\').")
    if any(unicodedata.category(ch).startswith("C") for ch in name):
        raise ProfileError("A profile name cannot contain control characters.")
    if name != name.strip():
        raise ProfileError(f"Profile name {name!r} starts or ends with a space.")
    if name in (".", ".."):
        raise ProfileError(f"{name!r} is not a usable profile name.")
    return name


@dataclass(frozen=True)
class Profile:
    name: str
    provider: Provider
    kind: AuthKind
    dc: str | None
    hint: str  # masked secret, e.g. "…a1b2-us6": tells keys apart, cannot be used as one
    created_at: str  # ISO-8601 UTC
    last_used_at: str | None = None
    base_url: str | None = None  # overrides the provider's default for this profile
    store: StoreKind = StoreKind.KEYRING

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.update(provider=self.provider.value, kind=self.kind.value, store=self.store.value)
        del data["name"]
        return data

    @classmethod
    def from_dict(cls, name: str, data: dict[str, Any]) -> Profile:
        return cls(
            name=name,
            provider=Provider(data["provider"]),
            kind=AuthKind(data["kind"]),
            dc=data.get("dc"),
            hint=str(data.get("hint", "…")),
            created_at=str(data["created_at"]),
            last_used_at=data.get("last_used_at"),
            base_url=data.get("base_url"),
            store=StoreKind(data.get("store", StoreKind.KEYRING.value)),
        )

    def credentials(self, secret: str) -> Credentials:
        """Rebuild the credentials from the stored secret (re-validated: the store may be stale)."""
        if self.kind is AuthKind.API_KEY:
            return Credentials.api_key(secret)
        if self.kind is AuthKind.OAUTH:
            assert self.dc is not None
            return Credentials.oauth(secret, self.dc)
        return Credentials.mailersend(secret)

    def effective_base_url(self, credentials: Credentials) -> str:
        return self.base_url or credentials.default_base_url()


def _now() -> datetime:
    return datetime.now(UTC)


class Accounts:
    """The saved profiles and their secrets: what `keys ...` and the TUI accounts screen use.

    Profiles whose secret is kept in memory live only in this object and are never written.
    """

    def __init__(
        self,
        path: Path | None = None,
        *,
        keyring_store: SecretStore | None = None,
        insecure_path: Path | None = None,
        clock: Callable[[], datetime] = _now,
    ) -> None:
        self.path = path or config_path()
        self._stores: dict[StoreKind, SecretStore] = {StoreKind.MEMORY: MemorySecretStore()}
        if keyring_store is not None:
            self._stores[StoreKind.KEYRING] = keyring_store
        self._insecure_path = insecure_path or insecure_store_path()
        self._clock = clock
        self._session: dict[str, Profile] = {}
        self._saved, self._file_default = self._load()
        self._default = self._file_default

    # -- reading ---------------------------------------------------------------------------

    def _load(self) -> tuple[dict[str, Profile], str | None]:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return {}, None
        except OSError as exc:
            raise ProfileError(f"Cannot read {self.path}: {exc.strerror}.") from None
        try:
            data = json.loads(text)
            profiles = {
                check_profile_name(name): Profile.from_dict(name, entry)
                for name, entry in data["profiles"].items()
            }
            default = data.get("default")
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise ProfileError(
                f"{self.path} is damaged ({type(exc).__name__}: {exc}); it was left untouched. "
                "Fix or move it away to start afresh."
            ) from None
        return profiles, default if default in profiles else None

    def store(self, kind: StoreKind) -> SecretStore:
        if kind not in self._stores:
            if kind is StoreKind.KEYRING:
                self._stores[kind] = KeyringSecretStore()
            else:
                self._stores[kind] = InsecureFileSecretStore(self._insecure_path)
        return self._stores[kind]

    def keyring_status(self) -> BackendStatus:
        store = self.store(StoreKind.KEYRING)
        if isinstance(store, KeyringSecretStore):
            return store.status()
        return BackendStatus(type(store).__name__, True, "Secrets are kept in a custom store.")

    @property
    def default(self) -> str | None:
        return self._default

    def profiles(self) -> list[Profile]:
        merged = {**self._saved, **self._session}
        return [merged[name] for name in sorted(merged)]

    def get(self, name: str) -> Profile:
        profile = self._session.get(name) or self._saved.get(name)
        if profile is None:
            known = ", ".join(sorted({*self._saved, *self._session})) or "none yet"
            raise ProfileError(f"No profile named {name!r} (known: {known}).")
        return profile

    def credentials(self, name: str) -> Credentials:
        """The profile's credentials; raises ProfileError or SecretStoreError naming the cause."""
        profile = self.get(name)
        secret = self.store(profile.store).get(name)
        if secret is None:
            raise ProfileError(
                f"The {profile.store.value} store has no secret for profile {name!r}; "
                f"add it again with `mcexplorer keys add {name}`."
            )
        try:
            return profile.credentials(secret)
        except KeyFormatError as exc:
            raise ProfileError(f"The stored secret of profile {name!r} is invalid: {exc}") from None

    # -- writing ---------------------------------------------------------------------------

    def _apply(
        self, saved: dict[str, Profile], session: dict[str, Profile], default: str | None
    ) -> None:
        """Make a change take effect: write the file only if its part changed, then adopt it.

        The default may name a memory-only profile; the file then keeps its own default.
        """
        if default not in saved and default not in session:
            default = None
        file_default = default if default in saved else self._file_default
        if file_default not in saved:
            file_default = None
        if saved != self._saved or file_default != self._file_default:
            data = {
                "version": CONFIG_VERSION,
                "default": file_default,
                "profiles": {name: saved[name].to_dict() for name in sorted(saved)},
            }
            atomic_write_text(self.path, json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        self._saved, self._session = saved, session
        self._default, self._file_default = default, file_default

    def _with(
        self, profile: Profile | None, drop: str | None = None
    ) -> tuple[dict[str, Profile], dict[str, Profile]]:
        saved, session = dict(self._saved), dict(self._session)
        if drop is not None:
            saved.pop(drop, None)
            session.pop(drop, None)
        if profile is not None:
            (session if profile.store is StoreKind.MEMORY else saved)[profile.name] = profile
        return saved, session

    def add(
        self,
        name: str,
        credentials: Credentials,
        *,
        base_url: str | None = None,
        store: StoreKind = StoreKind.KEYRING,
        make_default: bool = False,
    ) -> Profile:
        """Save a new profile; the first saved one becomes the default."""
        check_profile_name(name)
        if name in self._saved or name in self._session:
            raise ProfileError(
                f"A profile named {name!r} already exists; remove it first or pick another name."
            )
        profile = Profile(
            name=name,
            provider=credentials.provider,
            kind=credentials.kind,
            dc=credentials.dc,
            hint=credentials.masked,
            created_at=self._clock().isoformat(timespec="seconds"),
            base_url=normalize_base_url(base_url) if base_url else None,
            store=store,
        )
        secrets = self.store(store)
        secrets.set(name, credentials.secret)
        first = not self._saved and not self._session
        try:
            self._apply(*self._with(profile), name if make_default or first else self._default)
        except SaveError:
            secrets.delete(name)
            raise
        return profile

    def remove(self, name: str) -> None:
        profile = self.get(name)
        secrets = self.store(profile.store)
        secrets.get(name)  # fails now (locked, no backend) rather than after the file changed
        self._apply(*self._with(None, drop=name), self._default)
        secrets.delete(name)

    def rename(self, old: str, new: str) -> Profile:
        """Move the profile and its secret to a new name."""
        profile = self.get(old)
        check_profile_name(new)
        if new in self._saved or new in self._session:
            raise ProfileError(f"A profile named {new!r} already exists.")
        secrets = self.store(profile.store)
        secret = secrets.get(old)
        if secret is None:
            raise ProfileError(f"The {profile.store.value} store has no secret for {old!r}.")
        secrets.set(new, secret)
        try:
            self._apply(
                *self._with(replace(profile, name=new), drop=old),
                new if self._default == old else self._default,
            )
        except SaveError:
            secrets.delete(new)
            raise
        secrets.delete(old)
        return self.get(new)

    def set_default(self, name: str) -> None:
        self.get(name)
        self._apply(self._saved, self._session, name)

    def touch(self, name: str) -> None:
        """Record a use; last-used is informative, so a failed save is not an error."""
        profile = self.get(name)
        stamped = replace(profile, last_used_at=self._clock().isoformat(timespec="seconds"))
        try:
            self._apply(*self._with(stamped), self._default)
        except SaveError:
            return


__all__ = [
    "Accounts",
    "Profile",
    "ProfileError",
    "SecretStoreError",
    "StoreKind",
    "check_profile_name",
    "config_path",
    "insecure_store_path",
]
