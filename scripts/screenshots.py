"""Save SVG screenshots of the main screens, driven against the embedded sandbox.

    python scripts/screenshots.py [--out screenshots]

Timings and request ids are masked, so re-running only changes what really changed.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, TextArea
from textual.worker import WorkerCancelled

from mcexplorer.core.accounts.keys import Credentials
from mcexplorer.core.accounts.target import Target
from mcexplorer.sandbox.server import SandboxServer
from mcexplorer.tui.app import ExplorerApp
from mcexplorer.tui.widgets.resource_map import ResourceMap

SIZE = (120, 40)
Step = Callable[[ExplorerApp, Pilot[None]], Awaitable[None]]


async def settle(app: ExplorerApp, pilot: Pilot[None]) -> None:
    for _ in range(3):
        await pilot.pause()
        with contextlib.suppress(WorkerCancelled):
            await app.workers.wait_for_complete()
    await pilot.pause(0.2)


async def send(app: ExplorerApp, pilot: Pilot[None], path: str) -> None:
    app.explorer.query_one("#path", Input).value = path
    await pilot.press("ctrl+s")
    await settle(app, pilot)


async def root(app: ExplorerApp, pilot: Pilot[None]) -> None:
    app.explorer.query_one(ResourceMap).focus()


async def lists(app: ExplorerApp, pilot: Pilot[None]) -> None:
    tree = app.explorer.query_one(ResourceMap)
    node = next(n for n in tree.root.children if str(n.label) == "lists")
    node.expand()
    tree.move_cursor(node)
    await settle(app, pilot)
    await send(app, pilot, "/lists")
    tree.focus()


async def operation(app: ExplorerApp, pilot: Pilot[None]) -> None:
    await pilot.press("ctrl+o")
    app.explorer.query_one("#ops-filter", Input).value = "post members"
    await settle(app, pilot)
    options = app.explorer.query_one("#ops-options", OptionList)
    options.highlighted = options.get_option_index("postListsIdMembers")
    options.action_select()
    await settle(app, pilot)
    options.focus()


async def composer_docs(app: ExplorerApp, pilot: Pilot[None]) -> None:
    """POST members, the cursor on the body's `status`: the doc pane documents it."""
    await operation(app, pilot)
    editor = app.explorer.query_one("#body", TextArea)
    lines = editor.text.split("\n")
    row = next(i for i, line in enumerate(lines) if '"status"' in line)
    editor.focus()
    editor.move_cursor((row, lines[row].index("status")))
    await settle(app, pilot)


async def problem(app: ExplorerApp, pilot: Pilot[None]) -> None:
    await send(app, pilot, "/lists/no-such-audience")
    app.explorer.query_one(ResourceMap).focus()


async def repeat(app: ExplorerApp, pilot: Pilot[None]) -> None:
    app.explorer.query_one("#path", Input).value = "/ping"
    await pilot.press("ctrl+r")
    await settle(app, pilot)
    app.explorer.query_one(ResourceMap).focus()


async def glossary(app: ExplorerApp, pilot: Pilot[None]) -> None:
    await pilot.press("f2")
    await settle(app, pilot)


async def help_screen(app: ExplorerApp, pilot: Pilot[None]) -> None:
    app.explorer.query_one("#path", Input).focus()
    await pilot.press("f1")
    await settle(app, pilot)


SHOTS: dict[str, Step] = {
    "explorer-root": root,
    "explorer-lists": lists,
    "explorer-operation": operation,
    "composer-docs": composer_docs,
    "explorer-problem": problem,
    "explorer-repeat": repeat,
    "glossary": glossary,
    "help": help_screen,
}


async def shoot(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with SandboxServer(seed=0) as server:
        creds = Credentials.api_key(server.demo_key)
        for name, step in SHOTS.items():
            await asyncio.to_thread(server_reset, server)
            app = ExplorerApp(
                target=Target(creds, server.api_url, f"sandbox {creds.masked}"),
                mask_volatile=True,
                clock=lambda: 1000.0,
            )
            async with app.run_test(size=SIZE) as pilot:
                await settle(app, pilot)
                await step(app, pilot)
                await pilot.pause(0.2)
                app.save_screenshot(f"{name}.svg", str(out))
            print(out / f"{name}.svg")


def server_reset(server: SandboxServer) -> None:
    httpx.post(server.url + "/_sandbox/reset", json={}).raise_for_status()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).parent.parent / "screenshots")
    asyncio.run(shoot(parser.parse_args().out))


if __name__ == "__main__":
    main()
