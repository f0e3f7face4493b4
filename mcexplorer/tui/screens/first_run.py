"""First run: no saved profile yet, so offer the three ways in."""

from __future__ import annotations

import os
from collections.abc import Mapping
from enum import StrEnum
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Button, Static

from mcexplorer.core.accounts.keys import mask
from mcexplorer.core.accounts.profiles import Accounts
from mcexplorer.core.accounts.target import MAILCHIMP_ENV, MAILERSEND_ENV
from mcexplorer.tui.screens.accounts import AccountsScreen
from mcexplorer.tui.screens.closing import ClosesOnce
from mcexplorer.tui.widgets.key_hints import KeyHints


class FirstRunChoice(StrEnum):
    ADD_KEY = "add_key"  # a profile was saved (and selected) on the accounts screen
    USE_ENV = "use_env"  # MAILCHIMP_API_KEY / MAILERSEND_API_TOKEN from the environment
    SANDBOX = "sandbox"  # the embedded sandbox with its demo account


def env_status(env: Mapping[str, str]) -> tuple[bool, Content]:
    """Whether a key is in the environment, and a masked line saying which."""
    found = [(var, env[var]) for var in (MAILCHIMP_ENV, MAILERSEND_ENV) if env.get(var)]
    if not found:
        return False, Content.styled(f"{MAILCHIMP_ENV} is not set.", "$text-muted")
    return True, Content("\n").join(
        Content.assemble((var, "bold"), " is set: ", (mask(value), "$success"))
        for var, value in found
    )


class FirstRunScreen(ClosesOnce[FirstRunChoice]):
    """Dismisses with the chosen `FirstRunChoice`; "add a key" goes through the accounts screen."""

    DEFAULT_CSS = """
    FirstRunScreen {
        align: center middle;
        #first-run-box {
            width: 76;
            height: auto;
            border: round $accent;
            border-title-color: $accent;
            border-title-style: bold;
            padding: 1 2;
        }
        #first-run-intro { margin: 0 0 1 0; }
        Button { width: 100%; margin: 1 0 0 0; }
        .hint { color: $text-muted; padding: 0 1; }
        #first-run-env { padding: 0 1; }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "choose('add_key')", "Add a key", id="first-run-add"),
        Binding("e", "choose('use_env')", "Use environment", id="first-run-env"),
        Binding("s", "choose('sandbox')", "Try the sandbox", id="first-run-sandbox"),
    ]

    def __init__(
        self, env: Mapping[str, str] | None = None, accounts: Accounts | None = None
    ) -> None:
        super().__init__()
        self.env = os.environ if env is None else env
        self.accounts = accounts
        self.added: str | None = None  # the profile saved from "Add a key", to open next

    def compose(self) -> ComposeResult:
        has_env, env_line = env_status(self.env)
        with Vertical(id="first-run-box") as box:
            box.border_title = "Welcome to mcexplorer"
            yield Static(
                "No account is saved yet. Pick how to connect; you can add or switch "
                "accounts later from the accounts screen.",
                id="first-run-intro",
            )
            yield Button("Add an API key", id="add_key", variant="primary")
            yield Static(
                "Saved in the OS keyring; only the last four characters are ever shown.",
                classes="hint",
            )
            yield Button("Use the environment variable", id="use_env", disabled=not has_env)
            yield Static(env_line, id="first-run-env")
            yield Button("Try the sandbox", id="sandbox", variant="success")
            yield Static(
                "A local imitation of the API with a demo account: nothing leaves this machine.",
                classes="hint",
            )
        yield KeyHints()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        assert event.button.id is not None
        self.action_choose(event.button.id)

    def action_choose(self, choice: str) -> None:
        picked = FirstRunChoice(choice)
        if picked is FirstRunChoice.USE_ENV and self.query_one("#use_env", Button).disabled:
            self.notify(f"{MAILCHIMP_ENV} is not set.", severity="warning")
            return
        if picked is FirstRunChoice.ADD_KEY:
            self.app.push_screen(
                AccountsScreen(self.accounts, start_adding=True, env=self.env),
                self._accounts_closed,
            )
            return
        self.dismiss(picked)

    def _accounts_closed(self, selected: str | None) -> None:
        # Backing out without saving a profile leaves the choices on screen.
        if selected is not None:
            self.added = selected
            self.dismiss(FirstRunChoice.ADD_KEY)
