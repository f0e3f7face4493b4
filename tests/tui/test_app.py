"""How the app connects: the embedded sandbox, or the first-run screen without a profile."""

from __future__ import annotations

import asyncio
import contextlib
import os
import queue
import subprocess
import sys
import threading
from collections.abc import Callable
from typing import Any, ClassVar

import httpx
import pytest
from textual.command import CommandList
from textual.pilot import Pilot
from textual.widgets import Select, TabbedContent
from textual.widgets._select import SelectOverlay
from textual.worker import WorkerCancelled

from mcexplorer.cli import build_parser
from mcexplorer.commands.tui import launch
from mcexplorer.commands.tui_sandbox import WATCHABLE_LATENCY_MS, SandboxProcess
from mcexplorer.core.crash_log import crash_dir
from mcexplorer.tui.app import ExplorerApp
from mcexplorer.tui.screens.explorer import ExplorerScreen
from mcexplorer.tui.screens.first_run import FirstRunScreen
from mcexplorer.tui.screens.glossary import GlossaryScreen
from mcexplorer.tui.screens.help import HelpScreen, key_label
from mcexplorer.tui.widgets.header import AccountHeader
from mcexplorer.tui.widgets.option_list import CommandPalette
from mcexplorer.tui.widgets.resource_map import ResourceMap
from tests.tui.apps.widget_hosts import FAKE_KEY
from tests.tui.waiting import paint_until, wait_until


async def _settle(pilot: Pilot[None]) -> None:
    for _ in range(4):
        await pilot.pause(0.05)
        with contextlib.suppress(WorkerCancelled):
            await pilot.app.workers.wait_for_complete()


async def test_sandbox_mode_starts_the_server_and_connects_with_a_masked_key() -> None:
    app = ExplorerApp(sandbox=True, environ={})
    async with app.run_test(size=(120, 40)) as pilot:
        await _settle(pilot)
        assert app.server is not None
        server = app.server
        assert server.url.startswith("http://127.0.0.1:")
        header = app.explorer.query_one(AccountHeader)
        assert header.healthy is True and header.role == "owner"
        assert header.profile.startswith("sandbox …") and server.demo_key not in header.profile
        assert "lists" in [str(n.label) for n in app.explorer.query_one(ResourceMap).root.children]
    # Quitting the app stops the embedded server: its port no longer answers.
    with pytest.raises(httpx.ConnectError):
        httpx.get(server.url + "/_sandbox/stats", timeout=2)


async def test_no_profile_shows_first_run_and_the_sandbox_choice_connects() -> None:
    app = ExplorerApp(environ={})  # isolated config dirs (conftest): no profile saved
    async with app.run_test(size=(120, 40)) as pilot:
        await _settle(pilot)
        assert isinstance(app.screen, FirstRunScreen)
        await pilot.press("s")
        await _settle(pilot)
        assert app.screen is app.explorer
        assert app.server is not None
        assert app.explorer.query_one(AccountHeader).healthy is True


def test_a_crash_exits_non_zero_and_names_a_log_without_secrets(
    monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    secret = "not-shaped-like-a-key-but-secret-0042"  # only exact scrubbing catches it
    monkeypatch.setenv("MAILCHIMP_API_KEY", secret)

    def boom(self: ExplorerApp) -> None:
        raise RuntimeError(f"boom with {secret} and {FAKE_KEY}")

    monkeypatch.setattr(ExplorerApp, "on_mount", boom)
    monkeypatch.setattr(ExplorerApp, "run", lambda self: asyncio.run(self.run_async(headless=True)))
    args = build_parser(with_commands=False).parse_args([])
    assert launch(args) == 1
    err = capfd.readouterr().err
    assert "mcexplorer crashed: RuntimeError: boom with [redacted] and [redacted]" in err
    logs = list(crash_dir().glob("crash-*.log"))
    assert len(logs) == 1 and f"Crash log: {logs[0]}" in err.replace("\n", "")
    text = logs[0].read_text("utf-8")
    assert "RuntimeError" in text and "in boom" in text  # the traceback, scrubbed
    assert secret not in text + err and FAKE_KEY not in text + err


async def test_closing_a_screen_twice_or_popping_the_explorer_does_not_crash() -> None:
    app = ExplorerApp(environ={}, target=None)
    async with app.run_test(size=(120, 40)) as pilot:
        await _settle(pilot)
        while app.screen is not app.explorer:  # the first-run screen (no profile here)
            app.screen.dismiss(None)
            await pilot.pause()
        await pilot.press("f1")
        await _settle(pilot)
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        help_screen.action_close()
        help_screen.action_close()  # a second Escape that reached it before it closed
        await _settle(pilot)
        await pilot.press("f2")
        await _settle(pilot)
        glossary = app.screen
        assert isinstance(glossary, GlossaryScreen)
        glossary.dismiss(None)
        glossary.dismiss(None)  # the glossary closes once too
        await _settle(pilot)
        assert app.screen is app.explorer
        app.pop_screen()
        await pilot.press("escape", "escape")
        await _settle(pilot)
        assert app.screen is app.explorer and app.is_running


class RecordedSandbox(SandboxProcess):
    """The real child process, remembered so the test can look at it afterwards."""

    started: ClassVar[list[RecordedSandbox]] = []

    def __init__(self, provider: str) -> None:
        super().__init__(provider)
        self.started.append(self)


def _launch_headless(monkeypatch: pytest.MonkeyPatch, auto_pilot: object) -> int:
    RecordedSandbox.started.clear()
    monkeypatch.setattr("mcexplorer.commands.tui.SandboxProcess", RecordedSandbox)
    monkeypatch.setattr(
        ExplorerApp,
        "run",
        lambda self: asyncio.run(self.run_async(headless=True, auto_pilot=auto_pilot)),
    )
    return launch(build_parser(with_commands=False).parse_args(["--sandbox"]))


def _gone(sandbox: SandboxProcess) -> bool:
    with contextlib.suppress(httpx.ConnectError):
        httpx.get(sandbox.url + "/_sandbox/stats", timeout=2)
        return False
    return sandbox._process.poll() is not None


def test_the_sandbox_child_serves_on_loopback_and_q_leaves_nothing_behind(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: dict[str, object] = {}

    async def browse_then_quit(pilot: Pilot[None]) -> None:
        app = pilot.app
        assert isinstance(app, ExplorerApp)
        await wait_until(pilot, lambda: bool(_map_labels(app)), "the map's content")
        seen["labels"] = _map_labels(app)
        seen["stats"] = httpx.get(RecordedSandbox.started[0].url + "/_sandbox/stats").json()
        await pilot.press("ctrl+q")

    assert _launch_headless(monkeypatch, browse_then_quit) == 0
    [sandbox] = RecordedSandbox.started
    assert sandbox.url.startswith("http://127.0.0.1:")
    # The root the child announced (the map's first level before the app's engine loads).
    assert sandbox.root["account_name"] == "Larkspur Demo Co"
    assert "lists" in seen["labels"]  # type: ignore[operator]
    assert seen["stats"]  # the app's GET / reached the child
    assert _gone(sandbox)


def test_a_crash_stops_the_sandbox_child_too(monkeypatch: pytest.MonkeyPatch) -> None:
    async def crash(pilot: Pilot[None]) -> None:
        await wait_until(pilot, lambda: bool(RecordedSandbox.started[0].url), "the sandbox")

        def boom() -> None:
            raise RuntimeError("crash while the sandbox runs")

        pilot.app.call_later(boom)  # raised in the app's loop, as a real crash is
        await pilot.pause()

    assert _launch_headless(monkeypatch, crash) == 1
    [sandbox] = RecordedSandbox.started
    assert _gone(sandbox)


def test_the_sandbox_child_stops_when_its_parent_dies_without_cleaning_up() -> None:
    parent = subprocess.run(
        [
            sys.executable,
            "-c",
            "import os; from mcexplorer.commands.tui_sandbox import SandboxProcess; "
            "p = SandboxProcess('mailchimp'); p.wait_ready(); "
            "print(p.pid, p.url, flush=True); os._exit(9)",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert parent.returncode == 9
    pid, url = parent.stdout.split()
    for _ in range(500):  # its stdin closed with the parent: it stops its server and exits
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            break
        with contextlib.suppress(ChildProcessError):
            os.waitpid(int(pid), os.WNOHANG)
        threading.Event().wait(0.02)
    else:
        raise AssertionError("the sandbox child outlived its parent")
    with pytest.raises(httpx.ConnectError):
        httpx.get(url + "/_sandbox/stats", timeout=2)


def _map_labels(app: ExplorerApp) -> list[str]:
    return [str(n.label) for n in app.explorer.query_one(ResourceMap).root.children]


async def test_first_run_without_a_keyring_keeps_a_memory_only_key_and_connects(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import keyring
    import keyring.backends.fail
    from textual.widgets import Input, Select

    from mcexplorer.core.accounts.secrets import StoreKind
    from mcexplorer.sandbox.server import SandboxServer
    from mcexplorer.tui.screens.accounts import AccountsScreen

    monkeypatch.setattr(keyring, "get_keyring", keyring.backends.fail.Keyring)
    keyring.set_keyring(keyring.backends.fail.Keyring())
    with SandboxServer(seed=0) as server:
        app = ExplorerApp(environ={})
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_until(pilot, lambda: isinstance(app.screen, FirstRunScreen), "first run")
            await pilot.press("a")
            await wait_until(pilot, lambda: isinstance(app.screen, AccountsScreen), "the form")
            form = app.screen
            store = form.query_one("#add-store", Select)
            await wait_until(pilot, lambda: store.value == StoreKind.MEMORY.value, "no keyring")
            form.query_one("#add-name", Input).value = "trial"
            form.query_one("#add-secret", Input).value = server.demo_key
            form.query_one("#add-base-url", Input).value = server.api_url
            await pilot.click("#save")
            await wait_until(
                pilot,
                lambda: app.screen is app.explorer and app.explorer.session is not None,
                "the explorer, connected",
            )
            header = app.explorer.query_one(AccountHeader)
            await wait_until(pilot, lambda: header.healthy is True, "the ping")
            assert "trial" in header.profile and server.demo_key not in header.profile
            assert server.stats()["requests"] >= 2  # GET / and /ping with the memory key


async def test_the_header_flags_a_profile_whose_key_is_stored_unencrypted() -> None:
    from mcexplorer.core.accounts.keys import Credentials
    from mcexplorer.core.accounts.profiles import Accounts
    from mcexplorer.core.accounts.secrets import StoreKind
    from mcexplorer.sandbox.server import SandboxServer

    with SandboxServer(seed=0) as server:
        Accounts().add(
            "laptop",
            Credentials.api_key(server.demo_key),
            base_url=server.api_url,
            store=StoreKind.INSECURE_FILE,
        )
        app = ExplorerApp(environ={})
        async with app.run_test(size=(160, 40)) as pilot:
            header = app.explorer.query_one(AccountHeader)
            await wait_until(pilot, lambda: header.healthy is True, "connected to 'laptop'")
            line = str(header.render())
            assert "profile 'laptop'" in line and "INSECURE: key stored unencrypted" in line
            assert server.demo_key not in line


async def test_f1_lists_every_key_of_the_explorer_as_bound() -> None:
    from tests.tui.apps.widget_hosts import screen_text

    app = ExplorerApp(environ={})
    async with app.run_test(size=(120, 60)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, FirstRunScreen), "first run")
        app.screen.dismiss(None)
        await wait_until(pilot, lambda: app.screen is app.explorer, "the explorer")
        await pilot.press("f1")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen), "help")
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        listed = {row.key: row.action for row in help_screen.keys}
        # Every key of the explorer, shown in the footer or not.
        bound = {key for key, _ in app.explorer._bindings}
        assert {key_label(key) for key in bound} <= set(listed)
        for key, what in [
            ("F7", "Import"),
            ("F4", "Save"),
            ("F6", "History"),
            ("Ctrl+S", "Send"),
            ("Ctrl+Q", "Quit"),
        ]:
            assert listed[key] == what
        await wait_until(pilot, lambda: "Import" in screen_text(app), "the table on screen")
        assert "F7" in screen_text(app)


def test_quitting_at_once_leaves_no_thread_or_child_waiting(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async def quit_now(pilot: Pilot[None]) -> None:
        # As soon as the composer is there (sooner hits composer: T1, NoMatches '#path').
        await wait_until(pilot, lambda: bool(pilot.app.screen.query("#path")), "the composer")
        await pilot.press("ctrl+q")

    before = set(threading.enumerate())
    assert _launch_headless(monkeypatch, quit_now) == 0
    [sandbox] = RecordedSandbox.started
    assert sandbox._process.poll() is not None
    for thread in set(threading.enumerate()) - before:
        thread.join(timeout=10)  # an executor thread still blocked would time out here
        assert not thread.is_alive(), thread


def test_base_url_and_key_env_open_the_tui_on_that_server(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from mcexplorer.sandbox.server import SandboxServer

    seen: dict[str, object] = {}

    async def connected(pilot: Pilot[None]) -> None:
        app = pilot.app
        assert isinstance(app, ExplorerApp)
        header = app.explorer.query_one(AccountHeader)
        await wait_until(pilot, lambda: header.healthy is True, "the ping")
        seen["profile"] = header.profile
        await pilot.press("ctrl+q")

    with SandboxServer(seed=0) as server:
        monkeypatch.setenv("SUPPORT_KEY", server.demo_key)
        monkeypatch.setattr(
            ExplorerApp,
            "run",
            lambda self: asyncio.run(self.run_async(headless=True, auto_pilot=connected)),
        )
        argv = ["--base-url", server.api_url, "--key-env", "SUPPORT_KEY"]
        assert launch(build_parser(with_commands=False).parse_args(argv)) == 0
        assert seen["profile"] == "$SUPPORT_KEY"
        assert server.stats()["requests"] >= 2  # GET / and /ping reached this server


def test_two_errors_print_one_scrubbed_line_and_no_traceback(
    monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    def boom(self: ExplorerApp) -> None:
        def fail(n: int) -> None:
            raise RuntimeError(f"failure {n} with {FAKE_KEY}")

        self.call_later(fail, 1)
        self.call_later(fail, 2)  # dispatched before the app has closed

    monkeypatch.setattr(ExplorerApp, "on_mount", boom)
    monkeypatch.setattr(ExplorerApp, "run", lambda self: asyncio.run(self.run_async(headless=True)))
    assert launch(build_parser(with_commands=False).parse_args([])) == 1
    err = capfd.readouterr().err
    assert err.count("mcexplorer crashed") == 1 and "failure 1" in err
    assert "Traceback" not in err and "NOTE" not in err and FAKE_KEY not in err


def test_the_sandbox_child_answers_api_calls_with_a_watchable_latency() -> None:
    sandbox = SandboxProcess("mailchimp")
    try:
        sandbox.wait_ready()
        faults = httpx.get(sandbox.url + "/_sandbox/faults", timeout=5).json()
        assert faults["latency_ms"] == WATCHABLE_LATENCY_MS
    finally:
        sandbox.stop()


def _announced_root(sandbox: SandboxProcess) -> Any:
    roots: queue.Queue[Any] = queue.Queue()
    sandbox.on_announced(roots.put)  # called from the thread that reads the child's pipe
    return roots.get(timeout=30)


def test_the_root_the_child_announces_before_it_listens_is_what_get_root_answers() -> None:
    sandbox = SandboxProcess("mailchimp")
    try:
        announced = _announced_root(sandbox)  # from the seed, before the server has loaded
        assert announced["account_name"] == "Larkspur Demo Co"
        # A request sent now waits in the bound socket's backlog until the server runs.
        answer = httpx.get(sandbox.api_url, auth=("mcexplorer", sandbox.demo_key), timeout=10)
        assert answer.status_code == 200 and answer.json() == announced
        sandbox.wait_ready()
        assert _announced_root(sandbox) == announced  # asked afterwards: answered at once
    finally:
        sandbox.stop()


def test_the_mailersend_child_announces_its_token_and_no_root() -> None:
    sandbox = SandboxProcess("mailersend")
    try:
        assert _announced_root(sandbox) is None
        sandbox.wait_ready()
        headers = {"Authorization": f"Bearer {sandbox.demo_key}"}
        assert httpx.get(sandbox.api_url + "domains", headers=headers, timeout=5).status_code == 200
    finally:
        sandbox.stop()


class AnnouncedOnly:
    """A sandbox child that has announced its root but does not listen until stopped."""

    provider = "mailchimp"
    url = "http://127.0.0.1:9"
    api_url = url + "/3.0/"
    demo_key = FAKE_KEY

    def __init__(self) -> None:
        from mcexplorer.sandbox.root import root_body
        from mcexplorer.sandbox.seed import build_store

        self.root = root_body(build_store(0, "us6"), self.api_url.rstrip("/"), "owner")
        self.stopped = threading.Event()

    def on_announced(self, callback: Callable[[Any], None]) -> None:
        callback(self.root)

    def wait_ready(self) -> None:
        self.stopped.wait()
        raise RuntimeError("stopped before it listened")

    def stop(self) -> None:
        self.stopped.set()


async def test_the_announced_root_is_on_the_map_from_the_first_frame() -> None:
    sandbox = AnnouncedOnly()
    app = ExplorerApp(sandbox=True, sandbox_process=sandbox, environ={})
    async with app.run_test(size=(120, 40)) as pilot:
        # No session (the child never listened): the map shows what the child announced.
        assert app.explorer.session is None
        assert {"lists", "campaigns"} <= set(_map_labels(app))
        sandbox.stop()
        await wait_until(pilot, lambda: bool(app._notifications), "the start-up error")
        [note] = list(app._notifications)
        assert "stopped before it listened" in note.message


class HeldSandbox(RecordedSandbox):
    """The real child, which the app is told is listening only when the test says so."""

    release = threading.Event()

    def wait_ready(self) -> None:
        self.release.wait(timeout=30)
        super().wait_ready()


def test_a_map_node_opened_before_the_session_is_up_loads_once_it_is(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: dict[str, object] = {}

    async def open_lists_at_once(pilot: Pilot[None]) -> None:
        app = pilot.app
        assert isinstance(app, ExplorerApp)
        await paint_until(pilot, lambda: "lists" in _map_labels(app), "the announced map")
        lists = next(
            n for n in app.explorer.query_one(ResourceMap).root.children if "lists" in str(n.label)
        )
        lists.expand()
        await pilot.pause(0.2)
        seen["session before"] = app.explorer.session
        HeldSandbox.release.set()
        await wait_until(pilot, lambda: bool(lists.children), "the audiences under lists")
        seen["label"] = str(lists.label)
        await pilot.press("ctrl+q")

    HeldSandbox.release.clear()
    monkeypatch.setattr("mcexplorer.commands.tui.SandboxProcess", HeldSandbox)
    monkeypatch.setattr(
        ExplorerApp,
        "run",
        lambda self: asyncio.run(self.run_async(headless=True, auto_pilot=open_lists_at_once)),
    )
    assert launch(build_parser(with_commands=False).parse_args(["--sandbox"])) == 0
    assert seen["session before"] is None  # opened while nothing could answer yet
    assert "failed" not in str(seen["label"])


def test_ctrl_o_typed_as_the_map_appears_does_not_crash(monkeypatch: pytest.MonkeyPatch) -> None:
    async def toggle_at_once(pilot: Pilot[None]) -> None:
        await pilot.press("ctrl+o")  # the map has its content; Operations is not mounted yet
        await _settle(pilot)
        assert isinstance(pilot.app, ExplorerApp)
        assert pilot.app.explorer.query_one("#sidebar-tabs", TabbedContent).active == "tab-ops"
        await pilot.press("ctrl+q")

    assert _launch_headless(monkeypatch, toggle_at_once) == 0


@pytest.mark.parametrize("action", ["page_up", "page_down"])
async def test_the_command_palette_pages_only_a_laid_out_list(action: str) -> None:
    """Ctrl+P then PageUp at once raised KeyError in Textual's OptionList (a startup storm
    of keys in tmux): the palette's list had options but no lines yet."""
    app = ExplorerApp(sandbox=True, environ={})
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+p")
        await wait_until(pilot, lambda: isinstance(app.screen, CommandPalette), "the palette")
        results = app.screen.query_one(CommandList)
        results.styles.height = 0  # no room: no lines, as before its first layout
        await pilot.pause()
        results.clear_options()
        results.add_option("Sandbox faults: none")
        results.highlighted = 0
        assert not results._index_to_line  # options, but no lines to page through
        app.screen._action_command_list(action)
        await pilot.press("escape")
        assert app.screen is app.explorer


@pytest.mark.parametrize("key", ["f3", "f6", "f7"])  # accounts, history, members import
async def test_every_picker_on_a_screen_pages_safely_when_just_opened(key: str) -> None:
    """PageUp/PageDown in a picker's list before it is drawn raised KeyError in Textual 8
    (tui-monkey, seed 505: F7, then a picker opened and paged at once)."""
    app = ExplorerApp(sandbox=True, environ={})
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: app.explorer.session is not None, "the session")
        await pilot.press(key)
        await wait_until(pilot, lambda: app.screen is not app.explorer, f"the {key} screen")
        pickers = list(app.screen.query(Select))
        assert pickers
        for picker in pickers:
            picker.expanded = True
            overlay = picker.query_one(SelectOverlay)
            overlay.action_page_down()  # before any layout: nothing to page through yet
            overlay.action_page_up()
            picker.expanded = False
        await pilot.pause()
        assert app.is_running and app.return_code is None


def test_ctrl_q_typed_while_the_explorer_still_mounts_quits_cleanly(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async def quit_at_once(pilot: Pilot[None]) -> None:
        await pilot.press("ctrl+q")  # the explorer's widgets are still mounting

    assert _launch_headless(monkeypatch, quit_at_once) == 0
    [sandbox] = RecordedSandbox.started
    assert _gone(sandbox)


@pytest.mark.parametrize(("rows", "breakpoint"), [(24, "-short"), (40, "-tall")])
async def test_the_height_breakpoint_is_set_before_the_widgets_get_their_styles(
    monkeypatch: pytest.MonkeyPatch, rows: int, breakpoint: str
) -> None:
    restyled: list[int] = []  # the explorer's whole-tree restyles
    whole_tree = ExplorerScreen.update_node_styles

    def counted(screen: ExplorerScreen, animate: bool = True) -> None:
        restyled.append(len(restyled))
        whole_tree(screen, animate)

    monkeypatch.setattr(ExplorerScreen, "update_node_styles", counted)
    sandbox = AnnouncedOnly()
    app = ExplorerApp(sandbox=True, sandbox_process=sandbox, environ={})
    try:
        async with app.run_test(size=(120, rows)) as pilot:
            await paint_until(pilot, lambda: bool(app.explorer.query("#ops")), "the layout")
            assert app.explorer.has_class(breakpoint)
            # Once as the screen starts; the first Resize found its class already set.
            assert len(restyled) == 1
    finally:
        sandbox.stop()
