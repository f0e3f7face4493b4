"""A pixel-level snapshot of the explorer on the sandbox's root (pytest-textual-snapshot).

Deterministic: a fixed seed and terminal size, the app's own theme, timings and request
ids masked, a frozen clock for the gauge's sparkline, focus on the tree (no blinking
cursor), and only the masked demo key on screen.
"""

from __future__ import annotations

import contextlib
import functools
import random
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, TextArea
from textual.worker import WorkerCancelled

from mcexplorer.core.accounts.keys import Credentials
from mcexplorer.core.accounts.target import Target
from mcexplorer.core.clock import ManualClock
from mcexplorer.sandbox.server import SandboxServer
from mcexplorer.tui.app import ExplorerApp
from mcexplorer.tui.widgets.doc_pane import DocPane
from mcexplorer.tui.widgets.problem_panel import ProblemPanel


@pytest.fixture
def server() -> Iterator[SandboxServer]:
    with SandboxServer(seed=0) as running:
        yield running


async def _settled(pilot: Pilot[Any]) -> None:
    app = pilot.app
    for _ in range(3):
        await pilot.pause()
        with contextlib.suppress(WorkerCancelled):
            await app.workers.wait_for_complete()
    app.screen.query_one("#map").focus()
    await pilot.pause()


def test_explorer_root_tree(server: SandboxServer, snap_compare: Callable[..., bool]) -> None:
    creds = Credentials.api_key(server.demo_key)
    app = ExplorerApp(
        target=Target(creds, server.api_url, f"sandbox {creds.masked}"),
        mask_volatile=True,
        clock=lambda: 1000.0,
    )
    assert snap_compare(app, terminal_size=(120, 40), run_before=_settled)


async def _documenting_a_body_field(pilot: Pilot[Any]) -> None:
    """POST members from the operations list, the cursor on the body's `status`: the doc
    pane says what the field takes. Waits for that text, not for a number of pauses."""
    await _settled(pilot)
    screen = pilot.app.screen
    await pilot.press("ctrl+o")
    screen.query_one("#ops-filter", Input).value = "post members"
    while "postListsIdMembers" not in _option_ids(screen.query_one("#ops-options", OptionList)):
        await pilot.pause()
    options = screen.query_one("#ops-options", OptionList)
    options.highlighted = options.get_option_index("postListsIdMembers")
    options.action_select()
    while not screen.query("#body") or '"status"' not in screen.query_one("#body", TextArea).text:
        await pilot.pause()
    editor = screen.query_one("#body", TextArea)
    row = next(i for i, line in enumerate(editor.text.split("\n")) if '"status"' in line)
    editor.focus()
    editor.move_cursor((row, editor.text.split("\n")[row].index("status")))
    pane = screen.query_one(DocPane)
    while "body status" not in str(pane.render()):
        await pilot.pause()
    await pilot.pause()


def _option_ids(options: OptionList) -> set[str]:
    return {option.id for option in options.options if option.id}


def test_doc_pane_documents_the_body_field_under_the_cursor(
    server: SandboxServer, snap_compare: Callable[..., bool]
) -> None:
    creds = Credentials.api_key(server.demo_key)
    app = ExplorerApp(
        target=Target(creds, server.api_url, f"sandbox {creds.masked}"),
        mask_volatile=True,
        clock=lambda: 1000.0,
    )
    assert snap_compare(app, terminal_size=(120, 40), run_before=_documenting_a_body_field)


async def _a_404_at_80x24(pilot: Pilot[Any], ids: random.Random) -> None:
    """The smallest supported size: the problem panel and the response share the room."""
    await _settled(pilot)
    screen = pilot.app.screen
    screen.query_one("#path", Input).value = "/lists/nope"
    await pilot.pause()
    ids.seed(0)  # the problem panel shows the sandbox's request id: the same on every run
    await pilot.press("ctrl+s")
    panel = screen.query_one(ProblemPanel)
    while not (panel.display and "404" in str(screen.query_one("#status").render())):
        await pilot.pause()
    with contextlib.suppress(WorkerCancelled):
        await pilot.app.workers.wait_for_complete()
    screen.query_one("#map").focus()
    await pilot.pause()


def test_explorer_at_80x24_keeps_the_response_visible_under_a_problem(
    server: SandboxServer, snap_compare: Callable[..., bool]
) -> None:
    creds = Credentials.api_key(server.demo_key)
    app = ExplorerApp(
        target=Target(creds, server.api_url, f"sandbox {creds.masked}"),
        mask_volatile=True,
        clock=lambda: 1000.0,
        engine_clock=ManualClock(),
    )
    before = functools.partial(_a_404_at_80x24, ids=server.app._ids)
    assert snap_compare(app, terminal_size=(80, 24), run_before=before)
