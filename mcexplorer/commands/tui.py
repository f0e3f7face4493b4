"""`mcexplorer` with no command: the TUI (`--sandbox` for the embedded sandbox)."""

from __future__ import annotations

import argparse


def launch(args: argparse.Namespace) -> int:
    # Imported here so other commands never pay for Textual.
    from mcexplorer.tui.app import ExplorerApp

    ExplorerApp(
        sandbox=bool(args.sandbox),
        profile=args.profile,
        collections_dir=args.tui_collection,
        history=not args.tui_no_history,
    ).run()
    return 0
