"""Command-line entry point: `mcexplorer [--sandbox] [COMMAND ...]`.

With no command it opens the TUI. Each command group lives in
`mcexplorer/commands/<name>.py` and registers itself here.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from pathlib import Path

from mcexplorer import __version__

COMMAND_MODULES: tuple[str, ...] = (
    "sandbox",
    "keys",
    "history",
    "run",
    "collection",
    "send",
    "batch",
    "members",
)


def build_parser(*, with_commands: bool = True) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mcexplorer",
        description="Explore the Mailchimp Marketing API (and MailerSend) from the terminal.",
    )
    parser.add_argument("--version", action="version", version=f"mcexplorer {__version__}")
    parser.add_argument(
        "--sandbox",
        action="store_true",
        help="open the TUI (or run the command) on the embedded sandbox: no key needed",
    )
    parser.add_argument("--profile", metavar="NAME", help="open the TUI on this saved profile")
    parser.add_argument(
        "--provider",
        dest="tui_provider",  # `sandbox --provider` has its own
        choices=("mailchimp", "mailersend"),
        default="mailchimp",
        help="with --sandbox: the API the sandbox imitates, for the TUI or a command",
    )
    parser.add_argument(
        "--collection",
        dest="tui_collection",
        type=Path,
        metavar="DIR",
        help="the TUI's saved requests folder (default: collections in the user data dir)",
    )
    # Their own dests: a command's --base-url/--key-env default would reset a shared one.
    parser.add_argument(
        "--base-url",
        dest="tui_base_url",
        metavar="URL",
        help="open the TUI on this base URL (http:// only to loopback), e.g. a `sandbox serve`",
    )
    parser.add_argument(
        "--key-env",
        dest="tui_key_env",
        metavar="VAR",
        help="open the TUI with the API key in environment variable VAR (never from argv)",
    )
    parser.add_argument(
        "--no-history",
        dest="tui_no_history",
        action="store_true",
        help="open the TUI without recording the requests it sends",
    )
    if with_commands:
        subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
        for name in COMMAND_MODULES:
            importlib.import_module(f"mcexplorer.commands.{name}").register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    # Opening the TUI needs none of the command modules: importing them (keyring,
    # SQLite, the engine) would delay the first paint. So try the root options
    # alone first, and build the whole parser only when something is left over.
    wants_help = any(arg in ("-h", "--help") for arg in argv)
    rest = argv
    if not wants_help:
        args, rest = build_parser(with_commands=False).parse_known_args(argv)
    if rest or wants_help:
        args = build_parser().parse_args(argv)
    if getattr(args, "command", None) is None:
        from mcexplorer.commands.tui import launch

        return launch(args)
    return int(args.func(args))
