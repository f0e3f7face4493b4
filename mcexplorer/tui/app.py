"""The Textual app: opens the explorer at once, then connects it.

First paint comes before anything slow: `mcexplorer --sandbox` hands over a sandbox that
started in a child process before Textual was imported (otherwise the sandbox starts in a
thread afterwards), and the profile's secret is read from the keyring in a thread too.
"""

from __future__ import annotations

import contextlib
import gc
import os
import threading
import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

from textual import on, work
from textual.app import App
from textual.await_complete import AwaitComplete
from textual.binding import Binding, BindingType

from mcexplorer.tui.messages import LayoutFinished
from mcexplorer.tui.palette import ExplorerCommands
from mcexplorer.tui.screens.explorer import ExplorerScreen, is_mailersend, utc_now

if TYPE_CHECKING:
    from datetime import datetime
    from pathlib import Path

    from mcexplorer.core.accounts.profiles import Accounts
    from mcexplorer.core.accounts.target import Target
    from mcexplorer.core.clock import Clock
    from mcexplorer.core.problems.glossary import Glossary
    from mcexplorer.tui.screens.accounts import AccountsScreen
    from mcexplorer.tui.screens.first_run import FirstRunChoice


class RunningSandbox(Protocol):
    """A sandbox server the app connects to: in a thread here, or in a child process."""

    @property
    def provider(self) -> str: ...
    @property
    def url(self) -> str: ...
    @property
    def api_url(self) -> str: ...
    @property
    def demo_key(self) -> str: ...
    def stop(self) -> None: ...


class StartingSandbox(RunningSandbox, Protocol):
    def on_announced(self, callback: Callable[[Any], None]) -> None:
        """`callback(root)` once its address and API root are known, before it listens
        (root None: none to show early), from whichever thread learns it."""

    def wait_ready(self) -> None:
        """Block until it listens (RuntimeError: it could not start)."""


class ExplorerApp(App[None]):
    TITLE = "mcexplorer"
    CSS_PATH = "app.tcss"
    COMMANDS = App.COMMANDS | {ExplorerCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Quit", id="quit", priority=True),
    ]

    def __init__(
        self,
        *,
        sandbox: bool = False,
        sandbox_process: StartingSandbox | None = None,
        provider: str = "mailchimp",
        profile: str | None = None,
        base_url: str | None = None,
        key_env: str | None = None,
        target: Target | None = None,
        environ: Mapping[str, str] | None = None,
        mask_volatile: bool = False,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], datetime] = utc_now,
        engine_clock: Clock | None = None,
        collections_dir: Path | None = None,
        history: bool = True,
    ) -> None:
        """`target` connects straight away (tests); else `sandbox` or the profile decide.

        `base_url` and `key_env` are the CLI's --base-url and --key-env, as every command
        takes them. `sandbox_process` is a sandbox already starting elsewhere
        (`mcexplorer --sandbox` starts one in a child process before Textual is imported);
        without it `sandbox` starts one in a thread. `provider` is the API the sandbox
        imitates; `wall_clock` drives the MailerSend gauge's countdowns and `engine_clock`
        the attempt timings (both fixed in snapshots)."""
        super().__init__()
        self.sandbox = sandbox
        self.provider = provider
        self.profile = profile
        self.base_url = base_url
        self.key_env = key_env
        self.environ = os.environ if environ is None else environ
        self.explorer = ExplorerScreen(
            mask_volatile=mask_volatile,
            clock=clock,
            wall_clock=wall_clock,
            engine_clock=engine_clock,
            mailersend=is_mailersend(target) if target else sandbox and provider == "mailersend",
        )
        self.explorer.collections_dir = collections_dir  # None: the user data dir
        self.explorer.history_enabled = history
        self._initial_target = target
        self.server: RunningSandbox | None = None
        self._sandbox_process = sandbox_process
        self._first_frame = threading.Event()
        self._started = self._quit_when_started = False
        self.crash_log: Path | None = None
        self._crashed = False
        self.accounts: Accounts | None = None

    def get_default_screen(self) -> ExplorerScreen:
        return self.explorer

    def on_mount(self) -> None:
        self.theme = "textual-dark"
        if self._sandbox_process is not None:
            # Content first: the map fills as soon as the sandbox announces its root (it
            # started before Textual was imported, and usually has by now), in the
            # explorer's first frame; a thread worker would start only after that frame.
            self._sandbox_process.on_announced(self._root_announced)
            self._await_sandbox(self._sandbox_process)
            self.call_after_refresh(self._first_frame.set)

    def action_command_palette(self) -> None:
        from mcexplorer.tui.widgets.option_list import CommandPalette

        if self.use_command_palette and not isinstance(self.screen, CommandPalette):
            self.push_screen(CommandPalette(id="--command-palette"))

    async def action_quit(self) -> None:
        # Ctrl+Q typed as the app starts would remove the explorer while its widgets still
        # mount (their mount handlers then query removed nodes): it quits once they are.
        if self._started:
            self.exit()
        else:
            self._quit_when_started = True

    def pop_screen(self) -> AwaitComplete:
        """Never pop the explorer: a close that arrives late (keys typed fast, a dialog of
        another screen) must not end in ScreenStackError."""
        if len(self.screen_stack) <= 1:
            return AwaitComplete()  # nothing to await
        return super().pop_screen()

    @on(LayoutFinished)
    def _connect(self) -> None:
        self._started = True
        if self._quit_when_started:
            self.exit()
            return
        # `mcexplorer` starts with the collector off (see commands/tui.py); what start-up
        # built lives as long as the app, so it is frozen out of later collections.
        gc.freeze()
        gc.enable()
        # Only now: the sandbox's start (uvicorn, Starlette) holds the GIL for ~100 ms.
        if self._initial_target is not None:
            self.explorer.connect(self._initial_target)
        elif self._sandbox_process is not None:
            pass  # connected (or connecting) since the first frame: see on_mount
        elif self.sandbox:
            self._start_sandbox()
        else:
            self._open_profile(self.profile)

    @work(thread=True, exclusive=True, group="connect", exit_on_error=False)
    def _await_sandbox(self, process: StartingSandbox) -> None:
        from mcexplorer.core.accounts.keys import Provider
        from mcexplorer.core.accounts.target import Target

        try:
            process.wait_ready()  # reading a pipe: the GIL is free for the first frame
        except RuntimeError as exc:  # the child's own words: a port, a missing module
            self.call_from_thread(self.notify, str(exc), severity="error", timeout=30)
            return
        self._first_frame.wait()
        if not self.is_running:
            return  # quit before the first frame (on_unmount let this thread go)
        # The engine's modules (httpx, SQLite) load here, not on the UI thread; and the
        # glossary, so the session explains problems with it from the first request.
        import mcexplorer.core.session.session  # noqa: F401
        from mcexplorer.core.problems.glossary import Glossary

        glossary = Glossary.load()
        self.server = process
        target = Target.for_sandbox(Provider(self.provider), process.demo_key, process.api_url)
        self.call_from_thread(self._connect_early, target, glossary)

    def _root_announced(self, root: Any) -> None:
        """The sandbox child's root: at once if it came before the explorer mounted (the
        usual case: it is then in the first frame), else in the explorer's next turn
        (from the pipe's reader thread: post_message is thread-safe)."""
        if root is None:
            return
        if threading.get_ident() == self._thread_id:
            self.explorer.show_root_early(root)
        else:
            with contextlib.suppress(RuntimeError):  # the app's loop closed meanwhile
                self.explorer.call_later(self.explorer.show_root_early, root)

    def _connect_early(self, target: Target, glossary: Glossary) -> None:
        if self.explorer.glossary is None:
            self.explorer.connection.use_glossary(glossary)
        self.explorer.connect(target)

    @work(thread=True, exclusive=True, group="connect", exit_on_error=False)
    def _start_sandbox(self) -> None:
        from mcexplorer.core.accounts.keys import Provider
        from mcexplorer.core.accounts.target import Target
        from mcexplorer.sandbox.server import SandboxServer

        server = SandboxServer(provider=self.provider)
        server.start()
        self.server = server
        target = Target.for_sandbox(Provider(self.provider), server.demo_key, server.api_url)
        self.call_from_thread(self.explorer.connect, target)

    @work(thread=True, exclusive=True, group="connect", exit_on_error=False)
    def _open_profile(self, name: str | None) -> None:
        """Resolve the profile (the keyring can be slow); no account → the first-run screen."""
        from mcexplorer.core.accounts.profiles import Accounts, ProfileError
        from mcexplorer.core.accounts.target import TargetError, resolve_target

        try:
            # One Accounts for the whole session: a memory-only profile lives in it.
            if self.accounts is None:
                self.accounts = Accounts()
            target = resolve_target(
                self.accounts,
                profile=name,
                base_url=self.base_url,
                key_env=self.key_env,
                environ=self.environ,
            )
        except (TargetError, ProfileError) as exc:
            if name is not None or self.base_url or self.key_env:
                self.call_from_thread(self.notify, str(exc), severity="error", timeout=10)
            self.call_from_thread(self._first_run)
            return
        self.call_from_thread(self._connect_profile, target, self.accounts)

    def _connect_profile(self, target: Target, accounts: Accounts) -> None:
        """Connect, and flag a key that is not in the keyring (the README promises it)."""
        from mcexplorer.core.accounts.secrets import StoreKind
        from mcexplorer.tui.widgets.header import AccountHeader

        self.explorer.connect(target)
        profile = accounts.get(target.profile) if target.profile else None
        from_profile = profile is not None and not target.label.startswith("$")
        header = self.explorer.query_one(AccountHeader)
        store = accounts.store(profile.store) if profile and from_profile else None
        header.store_flag = store.badge if store else None
        header.store_insecure = store is not None and store.kind is StoreKind.INSECURE_FILE

    def _first_run(self) -> None:
        from mcexplorer.tui.screens.first_run import FirstRunScreen

        screen = FirstRunScreen(self.environ, accounts=self.accounts)
        self.push_screen(screen, lambda choice: self._first_run_done(choice, screen.added))

    def _first_run_done(self, choice: FirstRunChoice | None, added: str | None) -> None:
        from mcexplorer.tui.screens.first_run import FirstRunChoice

        if choice is FirstRunChoice.SANDBOX:
            self.sandbox = True
            self._start_sandbox()
        elif choice is not None:
            self._open_profile(added)  # the profile just added, or the environment's key

    def action_accounts(self) -> None:
        from mcexplorer.tui.screens.accounts import AccountsScreen

        screen = AccountsScreen(self.accounts, env=self.environ)
        self.push_screen(screen, lambda name: self._account_chosen(name, screen))

    def _account_chosen(self, name: str | None, screen: AccountsScreen) -> None:
        self.accounts = self.accounts or screen.accounts  # it may have loaded them first
        if name is not None:
            self._open_profile(name)

    def on_unmount(self) -> None:
        self._first_frame.set()  # a thread waiting for it must not outlive the app
        if self.server is not None:
            self.server.stop()
        if self._sandbox_process is not None and self._sandbox_process is not self.server:
            self._sandbox_process.stop()  # it never became ready

    # ----- crashing --------------------------------------------------------------------

    def _handle_exception(self, error: Exception) -> None:
        """Textual's crash report prints local variables (a key can be one of them): keep
        its exit status (1), print one scrubbed line instead, and the path of a log."""
        super()._handle_exception(error)
        if self._crashed:  # the first error is the one that matters; later ones follow
            del self._exit_renderables[1:]  # Textual's report of this one shows locals
            return
        self._crashed = True
        from rich.text import Text

        from mcexplorer.core.crash_log import describe, write_crash_log

        secrets = self._secrets()
        self.crash_log = write_crash_log(error, secrets)
        where = f"Crash log: {self.crash_log}" if self.crash_log else "No crash log was written."
        self._exit_renderables[:] = [
            Text(f"mcexplorer crashed: {describe(error, secrets)}\n{where}", style="bold red")
        ]

    def _secrets(self) -> list[str]:
        """Every secret this session knows, to take out of a crash report."""
        from mcexplorer.core.accounts.target import MAILCHIMP_ENV, MAILERSEND_ENV

        found = [self.environ.get(name, "") for name in (MAILCHIMP_ENV, MAILERSEND_ENV)]
        target = self.explorer.target or self._initial_target
        if target is not None and target.credentials is not None:
            found.append(target.credentials.secret)
        if self.server is not None:
            found.append(self.server.demo_key)
        return [secret for secret in found if secret]
