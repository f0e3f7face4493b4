"""Which account and base URL a command talks to, and why.

Precedence: an explicit `--key-env VAR`; else MAILCHIMP_API_KEY / MAILERSEND_API_TOKEN from the
environment (for CI and scripts), which overrides a profile and says so in `notice`; else the
named profile; else the default profile. `--base-url` overrides the base URL for one call.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from mcexplorer.core.accounts.keys import (
    BaseUrlError,
    Credentials,
    KeyFormatError,
    Provider,
    normalize_base_url,
)
from mcexplorer.core.accounts.profiles import Accounts, Profile, ProfileError
from mcexplorer.core.accounts.secrets import SecretStoreError

MAILCHIMP_ENV = "MAILCHIMP_API_KEY"
MAILERSEND_ENV = "MAILERSEND_API_TOKEN"
ENV_FOR_PROVIDER = {Provider.MAILCHIMP: MAILCHIMP_ENV, Provider.MAILERSEND: MAILERSEND_ENV}


class TargetError(Exception):
    """No usable account or base URL; the message names the cause (commands exit 2)."""


@dataclass(frozen=True)
class Target:
    credentials: Credentials | None
    base_url: str
    label: str  # "profile 'work' …a1b2-us6", "sandbox", "$MAILCHIMP_API_KEY"
    profile: str | None = None
    notice: str | None = None  # e.g. the environment overriding a profile

    @classmethod
    def for_sandbox(cls, provider: Provider, demo_key: str, api_url: str) -> Target:
        """A sandbox's demo account (embedded, or served by `sandbox serve`)."""
        if provider is Provider.MAILERSEND:
            credentials = Credentials.mailersend(demo_key)
        else:
            credentials = Credentials.api_key(demo_key)
        return cls(credentials, api_url, f"sandbox {credentials.masked}")


def credentials_from_env(
    var: str, environ: Mapping[str, str], provider: Provider | None = None
) -> Credentials:
    """Credentials from an environment variable: a MailerSend token if the provider (or the
    variable's name) says so, else a Mailchimp API key."""
    secret = environ.get(var)
    if not secret:
        raise TargetError(f"The environment variable {var} is not set or empty.")
    if provider is None:
        provider = Provider.MAILERSEND if var == MAILERSEND_ENV else Provider.MAILCHIMP
    try:
        if provider is Provider.MAILERSEND:
            return Credentials.mailersend(secret)
        return Credentials.api_key(secret)
    except KeyFormatError as exc:
        raise TargetError(f"${var}: {exc}") from None


def _base_url(override: str | None, profile: Profile | None, creds: Credentials) -> str:
    """--base-url, else the profile's own URL (only with its own key), else the key's dc."""
    try:
        if override:
            return normalize_base_url(override)
    except BaseUrlError as exc:
        raise TargetError(str(exc)) from None
    if profile is not None and profile.base_url:
        return profile.base_url
    return creds.default_base_url()


def resolve_target(
    accounts: Accounts | None,
    *,
    profile: str | None = None,
    base_url: str | None = None,
    key_env: str | None = None,
    environ: Mapping[str, str],
) -> Target:
    """Resolve a command's account; raises TargetError with a clear message."""
    try:
        return _resolve(accounts, profile, base_url, key_env, environ)
    except (ProfileError, SecretStoreError) as exc:
        raise TargetError(str(exc)) from None


def _resolve(
    accounts: Accounts | None,
    name: str | None,
    base_url: str | None,
    key_env: str | None,
    environ: Mapping[str, str],
) -> Target:
    chosen: Profile | None = None
    if accounts is not None:
        if name is not None:
            chosen = accounts.get(name)
        elif accounts.default is not None:
            chosen = accounts.get(accounts.default)
    provider = chosen.provider if chosen else None

    if key_env is not None:
        creds = credentials_from_env(key_env, environ, provider)
        return Target(creds, _base_url(base_url, None, creds), f"${key_env}", _name(chosen))

    env_var = ENV_FOR_PROVIDER[provider] if provider else _first_env(environ)
    if env_var is not None and environ.get(env_var):
        creds = credentials_from_env(env_var, environ, provider)
        notice = f"{env_var} from the environment is used"
        notice += f" instead of profile '{chosen.name}'" if chosen else ""
        return Target(creds, _base_url(base_url, None, creds), f"${env_var}", _name(chosen), notice)

    if chosen is None:
        raise TargetError(
            "No account selected: add one with `mcexplorer keys add NAME`, pick one with "
            f"--profile, set {MAILCHIMP_ENV} (or {MAILERSEND_ENV}), or use --sandbox."
        )
    assert accounts is not None
    creds = accounts.credentials(chosen.name)
    accounts.touch(chosen.name)
    return Target(
        creds,
        _base_url(base_url, chosen, creds),
        f"profile '{chosen.name}' {creds.masked}",
        chosen.name,
    )


def _first_env(environ: Mapping[str, str]) -> str | None:
    return next((var for var in (MAILCHIMP_ENV, MAILERSEND_ENV) if environ.get(var)), None)


def _name(profile: Profile | None) -> str | None:
    return profile.name if profile else None
