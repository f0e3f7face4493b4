"""Shared options that pick the account a command talks to, and opening that target.

`--sandbox` starts the embedded sandbox for the length of the command; otherwise the account
comes from `mcexplorer.core.accounts.target.resolve_target` (profile, environment, `--key-env`).
"""

from __future__ import annotations

import argparse
import contextlib
import os
from collections.abc import Iterator

from mcexplorer.core.accounts.keys import Provider
from mcexplorer.core.accounts.profiles import Accounts, ProfileError
from mcexplorer.core.accounts.target import Target, TargetError, resolve_target

__all__ = ["Target", "TargetError", "add_target_options", "open_target"]


def add_target_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("target")
    # SUPPRESS: `mcexplorer --sandbox send ...` sets these on the root parser; a
    # sub-parser default would silently reset them.
    group.add_argument(
        "--sandbox",
        action="store_true",
        default=argparse.SUPPRESS,
        help="talk to a private embedded sandbox (no key needed)",
    )
    group.add_argument(
        "--profile",
        metavar="NAME",
        default=argparse.SUPPRESS,
        help="use this saved profile (keys list)",
    )
    group.add_argument(
        "--base-url",
        metavar="URL",
        help="send to this base URL for this call (http:// only to loopback)",
    )
    group.add_argument(
        "--key-env",
        metavar="VAR",
        help="read the API key from environment variable VAR (keys are never taken from argv)",
    )


@contextlib.contextmanager
def open_target(args: argparse.Namespace) -> Iterator[Target]:
    """Yield the Target the options name; raises TargetError with a clear message."""
    if getattr(args, "sandbox", False):
        from mcexplorer.sandbox.server import SandboxServer  # the server loads only when asked

        # `mcexplorer --sandbox --provider mailersend send ...` picks the MailerSend sandbox.
        provider = Provider(getattr(args, "tui_provider", Provider.MAILCHIMP.value))
        with SandboxServer(provider=provider.value) as server:
            yield Target.for_sandbox(provider, server.demo_key, server.api_url)
        return
    try:
        accounts = Accounts()
    except ProfileError as exc:
        raise TargetError(str(exc)) from None
    yield resolve_target(
        accounts,
        profile=getattr(args, "profile", None),
        base_url=getattr(args, "base_url", None),
        key_env=getattr(args, "key_env", None),
        environ=os.environ,
    )
