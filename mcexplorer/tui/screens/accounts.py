"""Accounts: saved profiles (masked), adding one, switching, verifying, removing.

Every keyring or config-file call runs in a thread worker (the stores time out on their own),
and verification goes through the engine in an async worker, so the screen never blocks.
A secret is only ever held by the password Input and the call that saves it; the screen shows
the stored hint (last four characters and the datacenter).
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, TypeVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Button, DataTable, Input, Label, Select, Static

from mcexplorer.core.accounts.keys import (
    BaseUrlError,
    Credentials,
    KeyFormatError,
    Provider,
    mask,
)
from mcexplorer.core.accounts.profiles import Accounts, Profile, ProfileError, check_profile_name
from mcexplorer.core.accounts.secrets import (
    BackendStatus,
    InsecureFileSecretStore,
    SecretStoreError,
    StoreKind,
)
from mcexplorer.core.accounts.target import MAILCHIMP_ENV, MAILERSEND_ENV
from mcexplorer.core.atomic import SaveError
from mcexplorer.core.http.engine import Engine
from mcexplorer.core.http.request import ApiRequest
from mcexplorer.tui.dialogs.confirm import ConfirmDialog
from mcexplorer.tui.screens.closing import ClosesOnce
from mcexplorer.tui.widgets.key_hints import KeyHints
from mcexplorer.tui.widgets.option_list import Picker

T = TypeVar("T")

# Errors an account operation can end with; each message already names its cause.
ACCOUNT_ERRORS = (ProfileError, SecretStoreError, SaveError, KeyFormatError, BaseUrlError)

KINDS = [
    ("Mailchimp API key", "api_key"),
    ("Mailchimp OAuth token (+ datacenter)", "oauth"),
    ("MailerSend API token", "mailersend"),
]
STORES = [
    ("OS keyring", StoreKind.KEYRING.value),
    ("Memory only (until the app exits)", StoreKind.MEMORY.value),
    ("Unencrypted file (opt-in)", StoreKind.INSECURE_FILE.value),
]
# A cheap authenticated call per provider: the Mailchimp root names the account and role.
VERIFY_PATH = {Provider.MAILCHIMP: "/", Provider.MAILERSEND: "/api-quota"}


@dataclass
class ProfileSelected(Message):
    """The user made this profile the active one."""

    name: str


def make_credentials(kind: str, secret: str, dc: str) -> Credentials:
    """Credentials from the form; raises KeyFormatError (never echoing the secret)."""
    if kind == "oauth":
        return Credentials.oauth(secret, dc.strip())
    if kind == "mailersend":
        return Credentials.mailersend(secret)
    return Credentials.api_key(secret)


def describe_verified(provider: Provider, body: Any) -> str:
    """One line from a verification response: account and role, or the sending quota."""
    if not isinstance(body, dict):
        return "the API accepted the key"
    if provider is Provider.MAILERSEND:
        left, quota = body.get("remaining", "?"), body.get("quota", "?")
        return f"the token works: {left} of {quota} emails left today"
    name = body.get("account_name") or body.get("login_name") or "unnamed account"
    return f"account '{name}', role {body.get('role', 'unknown')}"


class AccountsScreen(ClosesOnce[str | None]):
    """Dismisses with the profile chosen to use, or None when closed without choosing."""

    DEFAULT_CSS = """
    AccountsScreen {
        padding: 0 1;
        #accounts-title { text-style: bold; color: $accent; margin: 1 0 0 0; }
        #accounts-keyring { color: $text-muted; }
        #accounts-keyring.-unusable {
            color: $warning; border: round $warning; padding: 0 1;
        }
        #accounts-badge { color: $error; text-style: bold reverse; width: auto; padding: 0 1; }
        #accounts-env { color: $warning; }
        #accounts-table { height: auto; max-height: 12; margin: 1 0; }
        #accounts-buttons { height: auto; }
        #accounts-buttons Button { margin: 0 1 0 0; }
        #accounts-status { margin: 1 0 0 0; }
        #add-form {
            height: auto; border: round $accent; border-title-color: $accent;
            padding: 0 1; margin: 1 0 0 0;
        }
        #add-form Horizontal { height: auto; }
        #add-form Label { width: 16; padding: 1 0 0 0; }
        #add-form Input, #add-form Select { width: 1fr; }
        #add-warning { color: $warning; }
        #add-error { color: $error; }
        .-hidden { display: none; }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "add", "Add", id="accounts-add"),
        Binding("u", "use", "Use", id="accounts-use"),
        Binding("v", "verify", "Verify", id="accounts-verify"),
        Binding("d", "make_default", "Default", id="accounts-default"),
        Binding("x", "remove", "Remove", id="accounts-remove"),
        Binding("escape", "close", "Close", id="accounts-close"),
    ]

    def __init__(
        self,
        accounts: Accounts | None = None,
        *,
        active: str | None = None,
        start_adding: bool = False,
        env: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__()
        self.accounts = accounts
        self.active = active
        self.start_adding = start_adding
        self.env = os.environ if env is None else env
        self.keyring_usable = True

    # -- layout ----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static("Accounts", id="accounts-title")
        yield Static("Checking the keyring…", id="accounts-keyring")
        yield Static(id="accounts-badge", classes="-hidden")
        yield Static(self._env_notice(), id="accounts-env")
        table: DataTable[str] = DataTable(id="accounts-table", cursor_type="row")
        yield table
        with Horizontal(id="accounts-buttons"):
            yield Button("Use", id="use", variant="primary")
            yield Button("Verify", id="verify")
            yield Button("Make default", id="make_default")
            yield Button("Remove", id="remove", variant="error")
            yield Button("Add…", id="add", variant="success")
        yield Static(id="accounts-status")
        with Vertical(id="add-form", classes="-hidden") as form:
            form.border_title = "Add an account"
            with Horizontal():
                yield Label("Name")
                yield Input(placeholder="e.g. work", id="add-name")
            with Horizontal():
                yield Label("Kind")
                yield Picker(KINDS, value="api_key", allow_blank=False, id="add-kind")
            with Horizontal():
                yield Label("Key or token")
                yield Input(password=True, placeholder="never shown again", id="add-secret")
            with Horizontal(id="add-dc-row", classes="-hidden"):
                yield Label("Datacenter")
                yield Input(placeholder="e.g. us6 (OAuth tokens do not carry it)", id="add-dc")
            with Horizontal():
                yield Label("Base URL")
                yield Input(placeholder="optional override, e.g. a sandbox", id="add-base-url")
            with Horizontal():
                yield Label("Keep it in")
                yield Picker(STORES, value="keyring", allow_blank=False, id="add-store")
            yield Static(id="add-warning", classes="-hidden")
            yield Static(id="add-error")
            with Horizontal():
                yield Button("Save", id="save", variant="primary")
                yield Button("Cancel", id="cancel")
        yield KeyHints()

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns(
            "", "Name", "Provider", "Auth", "Key", "DC", "Store", "Last used"
        )
        self._load()
        if self.start_adding:
            self.action_add()

    def _env_notice(self) -> Content:
        found = [var for var in (MAILCHIMP_ENV, MAILERSEND_ENV) if self.env.get(var)]
        if not found:
            return Content("")
        return Content("\n").join(
            Content(
                f"{var} is set ({mask(self.env[var])}): it overrides the selected profile "
                "until it is unset."
            )
            for var in found
        )

    # -- background calls ------------------------------------------------------------------

    def _in_thread(self, call: Callable[[], T], done: Callable[[T], None], what: str) -> None:
        """Run a blocking store call in a thread worker; report errors by their message."""

        def job() -> None:
            try:
                result = call()
            except ACCOUNT_ERRORS as exc:
                self.app.call_from_thread(self._failed, what, str(exc))
                return
            except Exception as exc:  # never Textual's crash screen: it prints locals (secrets)
                message = f"{what} failed unexpectedly ({type(exc).__name__})"
                self.app.call_from_thread(self._failed, what, message)
                return
            self.app.call_from_thread(done, result)

        self.run_worker(job, thread=True, group="accounts", name=what, exit_on_error=False)

    def _failed(self, what: str, message: str) -> None:
        target = "#add-error" if what == "add" else "#accounts-status"
        self.query_one(target, Static).update(Content.styled(message, "$error"))

    def _load(self) -> None:
        def load() -> tuple[Accounts, BackendStatus]:
            accounts = self.accounts or Accounts()
            return accounts, accounts.keyring_status()

        self._in_thread(load, self._loaded, "load")

    def _loaded(self, result: tuple[Accounts, BackendStatus]) -> None:
        self.accounts, status = result
        self.keyring_usable = status.usable
        notice = self.query_one("#accounts-keyring", Static)
        notice.update(status.explanation)
        notice.set_class(not status.usable, "-unusable")
        if not status.usable:
            self.query_one("#add-store", Select).value = StoreKind.MEMORY.value
        self._fill_table()

    def _fill_table(self, select: str | None = None) -> None:
        assert self.accounts is not None
        table = self.query_one(DataTable)
        current = select or self.selected_name()
        table.clear()
        profiles = self.accounts.profiles()
        for profile in profiles:
            table.add_row(*self._row(profile), key=profile.name)
        badges = {
            self.accounts.store(p.store).badge for p in profiles if p.store is not StoreKind.KEYRING
        }
        badge = self.query_one("#accounts-badge", Static)
        badge.update(" · ".join(sorted(b for b in badges if b)))
        badge.set_class(not any(badges), "-hidden")
        for button in self.query("#accounts-buttons Button").results(Button):
            button.disabled = not profiles and button.id != "add"  # nothing to act on
        if not profiles:
            self._status("No account saved yet: press a to add one.")
        elif current in {p.name for p in profiles}:
            table.move_cursor(row=table.get_row_index(current))

    def _row(self, profile: Profile) -> list[str]:
        default = self.accounts.default if self.accounts else None
        marks = ("★" if profile.name == default else " ") + (
            "●" if profile.name == self.active else " "
        )
        return [
            marks,
            profile.name,
            profile.provider.value,
            profile.kind.value,
            profile.hint,
            profile.dc or "—",
            profile.store.value,
            (profile.last_used_at or "never").replace("T", " ")[:16],
        ]

    def selected_name(self) -> str | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return row_key.value

    def _status(self, text: str | Content) -> None:
        self.query_one("#accounts-status", Static).update(text)

    def _selected_or_say(self) -> str | None:
        name = self.selected_name()
        if name is None:
            self._status("Select a profile first (or press a to add one).")
        return name

    # -- actions ---------------------------------------------------------------------------

    @on(Button.Pressed, "#accounts-buttons Button")
    async def _button(self, event: Button.Pressed) -> None:
        await self.run_action(str(event.button.id))

    def action_add(self) -> None:
        self.query_one("#add-form").remove_class("-hidden")
        self.query_one("#add-error", Static).update("")
        self.query_one("#add-name", Input).focus()

    def action_use(self) -> None:
        name = self._selected_or_say()
        if name is None:
            return
        self.active = name
        # To the app: this screen is gone by the time a bubbling message would leave it.
        self.app.post_message(ProfileSelected(name))
        self.dismiss(name)

    def action_make_default(self) -> None:
        name = self._selected_or_say()
        if name is None or self.accounts is None:
            return
        accounts = self.accounts

        def done(_: None) -> None:
            self._fill_table(name)
            self._status(f"'{name}' is now the default profile.")

        self._in_thread(lambda: accounts.set_default(name), done, "default")

    def action_remove(self) -> None:
        name = self._selected_or_say()
        if name is not None:
            question = Content.assemble(
                "Remove profile ",
                (name, "bold"),
                " and delete its secret from its store? This cannot be undone.",
            )
            dialog = ConfirmDialog(question, "Remove", "Keep", danger=True)
            self.app.push_screen(dialog, lambda yes: self._remove(name, bool(yes)))

    def _remove(self, name: str, confirmed: bool) -> None:
        if not confirmed or self.accounts is None:
            return
        accounts = self.accounts

        def done(_: None) -> None:
            if self.active == name:
                self.active = None
            self._fill_table()
            self._status(f"Removed '{name}' and its secret.")

        self._in_thread(lambda: accounts.remove(name), done, "remove")

    def action_verify(self) -> None:
        name = self._selected_or_say()
        if name is not None:
            self._status(Content.styled(f"Verifying '{name}'…", "$text-muted"))
            self._verify(name)

    @work(group="verify", exclusive=True, exit_on_error=False)
    async def _verify(self, name: str) -> None:
        """GET the provider's cheapest authenticated endpoint through the engine."""
        assert self.accounts is not None
        try:
            profile = self.accounts.get(name)
            credentials = await asyncio.to_thread(self.accounts.credentials, name)
            async with Engine(profile.effective_base_url(credentials), credentials) as engine:
                outcome = await engine.send(ApiRequest("GET", VERIFY_PATH[profile.provider]))
        except ACCOUNT_ERRORS as exc:
            self._status(Content.styled(str(exc), "$error"))
            return
        if outcome.ok:
            text = describe_verified(profile.provider, outcome.json())
            self._status(Content.assemble(("✓ ", "$success"), f"'{name}': {text}"))
        else:
            problem = outcome.problem
            reason = f"{problem.status or ''} {problem.title}".strip() if problem else "failed"
            self._status(Content.styled(f"✗ '{name}' was refused: {reason}", "$error"))

    def action_close(self) -> None:
        form = self.query_one("#add-form")
        if not form.has_class("-hidden") and not self.start_adding:
            self._close_form()
        else:
            self.dismiss(None)

    # -- the add form ----------------------------------------------------------------------

    @on(Select.Changed, "#add-kind")
    def _kind_changed(self, event: Select.Changed) -> None:
        self.query_one("#add-dc-row").set_class(event.value != "oauth", "-hidden")

    @on(Select.Changed, "#add-store")
    def _store_changed(self, event: Select.Changed) -> None:
        warning = self.query_one("#add-warning", Static)
        if event.value == StoreKind.INSECURE_FILE.value:
            assert self.accounts is not None
            store = self.accounts.store(StoreKind.INSECURE_FILE)
            assert isinstance(store, InsecureFileSecretStore)
            warning.update(store.warning)
        elif event.value == StoreKind.KEYRING.value and not self.keyring_usable:
            warning.update("The keyring is unusable here (see above); saving there will fail.")
        else:
            warning.update("")
        warning.set_class(not warning.content, "-hidden")

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        if self.start_adding:
            self.dismiss(None)
        else:
            self._close_form()

    def _close_form(self) -> None:
        for widget_id in ("add-name", "add-secret", "add-dc", "add-base-url"):
            self.query_one(f"#{widget_id}", Input).value = ""
        self.query_one("#add-form").add_class("-hidden")
        self.query_one(DataTable).focus()

    @on(Input.Submitted, "#add-form Input")
    @on(Button.Pressed, "#save")
    def _save(self) -> None:
        name = self.query_one("#add-name", Input).value.strip()
        secret_input = self.query_one("#add-secret", Input)
        kind = str(self.query_one("#add-kind", Select).value)
        dc = self.query_one("#add-dc", Input).value
        base_url = self.query_one("#add-base-url", Input).value.strip() or None
        store = StoreKind(str(self.query_one("#add-store", Select).value))
        try:
            check_profile_name(name)
            credentials = make_credentials(kind, secret_input.value, dc)
        except (ProfileError, KeyFormatError) as exc:
            self._failed("add", str(exc))
            return
        if self.accounts is None:
            self._failed("add", "The profiles are still loading; try again in a moment.")
            return
        accounts = self.accounts
        # The widget forgets the secret now; only `credentials` carries it to the store.
        secret_input.value = ""

        def add() -> Profile:
            return accounts.add(name, credentials, base_url=base_url, store=store)

        self._in_thread(add, self._added, "add")

    def _added(self, profile: Profile) -> None:
        self._close_form()
        self._fill_table(profile.name)
        self._status(
            Content.assemble(("✓ ", "$success"), f"Saved '{profile.name}' ({profile.hint}).")
        )
        if self.start_adding:
            self.action_use()
