"""`mcexplorer` with no command: the TUI (`--sandbox` for the embedded sandbox)."""

from __future__ import annotations

import argparse
import gc
import sys

from mcexplorer.commands.tui_sandbox import SandboxProcess


def launch(args: argparse.Namespace) -> int:
    if args.tui_provider != "mailchimp" and not args.sandbox:
        # A profile or token already says which provider it belongs to.
        print("error: --provider picks the sandbox's provider; add --sandbox", file=sys.stderr)
        return 2
    # First of all: the sandbox starts on another core while Textual is imported.
    sandbox = SandboxProcess(args.tui_provider) if args.sandbox else None
    # Start-up builds a long-lived heap (modules, widgets, styles); collections over it
    # while it grows delayed the first frame by ~100 ms. The app turns the collector back
    # on, with that heap frozen, once the whole layout is on screen (LayoutFinished).
    gc.disable()
    # Imported here so other commands never pay for Textual.
    from mcexplorer.tui.app import ExplorerApp

    app = ExplorerApp(
        sandbox=bool(args.sandbox),
        sandbox_process=sandbox,
        provider=args.tui_provider,
        profile=args.profile,
        base_url=args.tui_base_url,
        key_env=args.tui_key_env,
        collections_dir=args.tui_collection,
        history=not args.tui_no_history,
    )
    try:
        app.run()
    finally:
        if sandbox is not None:
            sandbox.stop()  # the app stopped it already, unless it crashed before
    return app.return_code or 0  # a crash: 1 (the app printed where its log is)
