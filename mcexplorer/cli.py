"""Command-line entry point: `mcexplorer [--sandbox] [COMMAND ...]`.

With no command it opens the TUI. Each command group lives in
`mcexplorer/commands/<name>.py` and registers itself here.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

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


def build_parser() -> argparse.ArgumentParser:
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
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(f"mcexplorer.commands.{name}").register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    if args.command is None:
        from mcexplorer.commands.tui import launch

        return launch(args)
    return int(args.func(args))
