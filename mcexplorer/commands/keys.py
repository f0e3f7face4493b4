"""`mcexplorer keys ...`: saved accounts. Secrets come from a hidden prompt or stdin, never argv."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import json
import os
import sys
from collections.abc import Callable

from mcexplorer.core.accounts.keys import (
    BaseUrlError,
    Credentials,
    KeyFormatError,
    mask,
    normalize_base_url,
)
from mcexplorer.core.accounts.profiles import Accounts, Profile, ProfileError, check_profile_name
from mcexplorer.core.accounts.secrets import InsecureFileSecretStore, SecretStoreError, StoreKind
from mcexplorer.core.accounts.target import ENV_FOR_PROVIDER
from mcexplorer.core.accounts.verify import VerifyError, oauth_metadata, verify_credentials
from mcexplorer.core.atomic import SaveError

USER_ERRORS = (ProfileError, KeyFormatError, BaseUrlError, SecretStoreError, SaveError)


class InputError(Exception):
    """The secret could not be read (no terminal, empty, several lines)."""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    keys = subparsers.add_parser("keys", help="saved accounts (secrets in the OS keyring)")
    sub = keys.add_subparsers(dest="keys_command", metavar="ACTION", required=True)

    add = sub.add_parser("add", help="save an account; the key is prompted for (hidden)")
    add.add_argument("name", help="profile name (no '/', at most 64 characters)")
    add.add_argument("--stdin", action="store_true", help="read the key as one line from stdin")
    kind = add.add_mutually_exclusive_group()
    kind.add_argument("--oauth", action="store_true", help="an OAuth access token, not an API key")
    kind.add_argument("--mailersend", action="store_true", help="a MailerSend API token")
    add.add_argument("--dc", help="datacenter of an OAuth token (else looked up online)")
    add.add_argument("--base-url", metavar="URL", help="always use this base URL for the profile")
    add.add_argument(
        "--verify", action="store_true", help="call the API first; save only if it works"
    )
    add.add_argument("--default", action="store_true", help="make it the default profile")
    add.add_argument(
        "--insecure-file-store",
        action="store_true",
        help="store the secret UNENCRYPTED in a 0600 file instead of the OS keyring",
    )
    add.set_defaults(func=_guard(_add))

    listing = sub.add_parser("list", help="saved profiles (secrets masked)")
    listing.set_defaults(func=_guard(_list))

    remove = sub.add_parser("remove", help="delete a profile and its secret")
    remove.add_argument("name")
    remove.set_defaults(func=_guard(_remove))

    rename = sub.add_parser("rename", help="rename a profile (moves its secret)")
    rename.add_argument("old")
    rename.add_argument("new")
    rename.set_defaults(func=_guard(_rename))

    default = sub.add_parser("default", help="make a profile the default")
    default.add_argument("name")
    default.set_defaults(func=_guard(_default))

    show = sub.add_parser("show", help="a profile's metadata (never the secret)")
    show.add_argument("name")
    show.add_argument("--json", action="store_true", help="as JSON")
    show.set_defaults(func=_guard(_show))


def _guard(
    action: Callable[[argparse.Namespace, Accounts], int],
) -> Callable[[argparse.Namespace], int]:
    """Turn our errors into a one-line message on stderr and exit code 2 (1: verification)."""

    def run(args: argparse.Namespace) -> int:
        try:
            return action(args, Accounts())
        except (*USER_ERRORS, InputError) as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        except VerifyError as exc:
            print(f"error: {exc} Nothing was saved.", file=sys.stderr)
            return 1

    return run


def _remove(args: argparse.Namespace, accounts: Accounts) -> int:
    accounts.remove(args.name)
    print(f"Removed {args.name!r}.")
    return 0


def _rename(args: argparse.Namespace, accounts: Accounts) -> int:
    accounts.rename(args.old, args.new)
    print(f"Renamed to {args.new!r}.")
    return 0


def _default(args: argparse.Namespace, accounts: Accounts) -> int:
    accounts.set_default(args.name)
    print(f"Default: {args.name!r}.")
    return 0


def read_secret(name: str, *, from_stdin: bool, what: str) -> str:
    """One line from stdin (trailing newline dropped), or a hidden prompt on the terminal."""
    if from_stdin:
        line = sys.stdin.readline()
        secret = line.removesuffix("\n").removesuffix("\r")
        if sys.stdin.read().strip():
            raise InputError(f"Expected the {what} as one line on stdin, got several lines.")
    elif sys.stdin.isatty():
        secret = getpass.getpass(f"{what} for {name!r} (input hidden): ")
    else:
        raise InputError(f"No terminal to prompt for the {what}; pipe it in with --stdin.")
    if not secret:
        raise InputError(f"The {what} is empty.")
    return secret


def _credentials(args: argparse.Namespace) -> Credentials:
    if args.mailersend:
        return Credentials.mailersend(read_secret(args.name, from_stdin=args.stdin, what="token"))
    if args.oauth:
        token = read_secret(args.name, from_stdin=args.stdin, what="OAuth token")
        if args.dc:
            return Credentials.oauth(token, args.dc)
        meta = asyncio.run(oauth_metadata(token))
        print(f"Datacenter {meta.dc} (from the OAuth metadata service).")
        return Credentials.oauth(token, meta.dc)
    if args.dc:
        raise InputError("--dc applies to --oauth only: an API key carries its datacenter.")
    return Credentials.api_key(read_secret(args.name, from_stdin=args.stdin, what="API key"))


def _add(args: argparse.Namespace, accounts: Accounts) -> int:
    check_profile_name(args.name)
    if args.name in {p.name for p in accounts.profiles()}:
        raise ProfileError(f"A profile named {args.name!r} already exists.")
    store = StoreKind.INSECURE_FILE if args.insecure_file_store else StoreKind.KEYRING
    if store is StoreKind.KEYRING:
        status = accounts.keyring_status()
        if not status.usable:
            raise SecretStoreError(status.explanation)
    creds = _credentials(args)
    if args.verify:
        base = normalize_base_url(args.base_url) if args.base_url else creds.default_base_url()
        info = asyncio.run(verify_credentials(creds, base))
        print(f"Verified: {info.summary}.")
    profile = accounts.add(
        args.name, creds, base_url=args.base_url, store=store, make_default=args.default
    )
    secrets = accounts.store(store)
    if isinstance(secrets, InsecureFileSecretStore):
        print(secrets.warning, file=sys.stderr)
    default = " (default)" if accounts.default == profile.name else ""
    print(f"Saved profile {profile.name!r}{default}: {profile.provider.value} {profile.hint}.")
    return 0


def _row(profile: Profile, default: str | None) -> list[str]:
    mark = "*" if profile.name == default else " "
    store = "" if profile.store is StoreKind.KEYRING else f" [{profile.store.value}]"
    return [
        f"{mark} {profile.name}",
        profile.provider.value,
        profile.kind.value,
        profile.hint + store,
        profile.base_url or "-",
        profile.last_used_at or "never",
    ]


def _list(args: argparse.Namespace, accounts: Accounts) -> int:
    profiles = accounts.profiles()
    if not profiles:
        print("No saved profiles. Add one with `mcexplorer keys add NAME`.")
    else:
        rows = [["  NAME", "PROVIDER", "AUTH", "KEY", "BASE URL", "LAST USED"]]
        rows += [_row(p, accounts.default) for p in profiles]
        widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
        for row in rows:
            print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
    for provider, var in ENV_FOR_PROVIDER.items():
        if os.environ.get(var):
            print(
                f"{var} is set ({mask(os.environ[var])}): it overrides the saved "
                f"{provider.value} profiles."
            )
    status = accounts.keyring_status()
    if not status.usable:
        print(status.explanation)
    return 0


def _show(args: argparse.Namespace, accounts: Accounts) -> int:
    profile = accounts.get(args.name)
    data = {"name": profile.name, **profile.to_dict(), "default": accounts.default == profile.name}
    if args.json:
        print(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        for key, value in data.items():
            print(f"{key}: {'-' if value is None else value}")
    return 0
